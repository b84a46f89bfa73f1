// S3: syntax details: call arguments without commas, trailing commas, optional separators in tables and classes,
// statements ended by a newline, comments, semicolons, nested literals.
function three(a, b, c) { return a + b + c; }
print(three(1 2 3) + " " + three(1, 2 3) + "\n");
local arr = [1, 2, 3,];
local arr2 = [1 2 3];
local tbl = { a = 1, b = 2, };
local tbl2 = { a = 1 b = 2 };
local tbl3 = {
  a = 1
  b = 2,
  ["c"] = 3
  "d": 4
  function f() { return "f"; }
};
print(arr.len() + " " + arr2.len() + " " + tbl.len() + " " + tbl2.len() + " " + tbl3.len() + " " + tbl3.f() + "\n");
class K { a = 1; b = 2
  c = 3
  function m() { return a + b + c }
}
print(K().m() + "\n");
local x = 1 /* inline */ + 2; // trailing
# hash comment
print(x + "\n");
function early(v) {
  if (v) return
  return "late";
}
print((early(true) == null) + " " + early(false) + "\n");
local y = 5
local z = y
  + 1;
print(z + "\n");
;;
local s = "a" +
  "b";
print(s + "\n");
local nested = { list = [{ v = [1, { w = 2 }] }] };
print(nested.list[0].v[1].w + "\n");
local fnInTable = { add = @(a, b) a + b, sub = function(a, b) { return a - b; } };
print(fnInTable.add(2, 3) + " " + fnInTable.sub(2, 3) + "\n");
if (true) { print("braces\n"); } else { print("no\n"); }
if (false) print("no\n")
else print("else on next line\n");
local w = 0;
while (w < 3) w++;
print(w + "\n");
local lambdaChain = @(a) @(b) a * b;
print(lambdaChain(6)(7) + "\n");
print(@"verbatim \n no escapes" + "\n");
local u = 1, v = 2, ww;
print(u + v + " " + (ww == null) + "\n");
print([1, 2, 3][1] + {a = "t"}.a + "\n");
local long = 0x7fffffff + 0;
print(long + " " + 1e2 + " " + 1.5e+1 + " " + 2.5E-1 + "\n");
