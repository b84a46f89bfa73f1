// S3: locals: a local may shadow another of the same name (even in the same block), `local x = x` reads the
// outer x, and closures keep the variable they captured.
local x = 1;
local x = 2;
print(x + "\n");
local y = 5;
{
  local y = y + 1;
  print(y + "\n");
}
print(y + "\n");
function f(a) { local a = a * 10; return a; }
print(f(3) + "\n");
for (local i = 0; i < 2; i++) { local i = 100; print(i + " "); }
print("\n");
local fns = [];
for (local i = 0; i < 3; i++) { local j = i; fns.append(@() j); }
foreach (g in fns) print(g() + " ");
print("\n");
local z = 1;
local function usez() { return z; }
local z = 2;
print(usez() + " " + z + "\n");
local e = "outer";
try { throw "inner"; } catch (e) { local e2 = e; print(e2 + " "); }
print(e + "\n");
local v = "v";
foreach (v in [1]) print(v + " ");
foreach (v, w in ["x"]) print(v + w + " ");
print(v + "\n");
local p = 7;
local g = function(p) { return p * 2; };
print(g(3) + " " + p + "\n");
local q = 1;
local h = function(a = q) { local q = 10; return a + q; };
print(h() + "\n");
local counter = 0;
local adders = [];
for (local k = 0; k < 3; k++) { local k2 = k * 10; adders.append(function() { counter += k2; return counter; }); }
foreach (fn in adders) fn();
print(counter + "\n");
