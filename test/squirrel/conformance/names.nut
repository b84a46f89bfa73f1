// S3: name lookup: locals, then `this`, then the root table; ::name; = never creates a slot; a root function called
// by bare name runs with the caller's `this`.
x <- "root x";
function whoami() { return this.name; }
::helper <- function() { return "helper sees " + name; };
class Case {
  name = "case";
  x = "member x";
  function run() {
    return whoami() + " / " + helper() + " / " + x + " / " + ::x;
  }
  function setroot() { ::x = "changed"; }
}
local c = Case();
print(c.run() + "\n");
c.setroot();
print(x + " " + ::x + "\n");
local t = { name = "table", f = function() { return whoami(); } };
print(t.f() + "\n");
try { undefinedName = 1; } catch (e) { print("caught: " + e + "\n"); }
try { ::undefinedName = 1; } catch (e) { print("caught: " + e + "\n"); }
try { print(::nothing); } catch (e) { print("caught: " + e + "\n"); }
newGlobal <- 5;
newGlobal = 6;
print(newGlobal + " " + ::newGlobal + " " + ("newGlobal" in getroottable()) + "\n");
local x = "local x";
print(x + " " + ::x + "\n");
function shadow() { local x = "inner"; return x + " " + ::x; }
print(shadow() + "\n");
local env = { name = "env" };
print(whoami.call(env) + " " + whoami.bindenv(env)() + "\n");
print((getroottable() == ::getroottable()) + " " + (this == getroottable()) + "\n");
function counterUp() { ::count <- ("count" in getroottable() ? ::count : 0) + 1; return ::count; }
counterUp(); counterUp();
print(counterUp() + "\n");
local tbl = { v = 1, function inc() { v++; return v; } };
print(tbl.inc() + " " + tbl.inc() + " " + tbl.v + "\n");
class K {
  static S = "static";
  function get() { return S + " " + K.S; }
}
print(K().get() + "\n");
local obj = { val = 10 };
obj.getv <- function() { return val; };
print(obj.getv() + "\n");
local loose = obj.getv;
val <- "root val";
print(loose() + "\n");
