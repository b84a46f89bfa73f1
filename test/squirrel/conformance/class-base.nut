// S3: `base` is the base class of the class a method was stored in (Squirrel's closure _base, set when a
// class with a base class takes a function as a member, on a copy of it). Everywhere else it is null: in a
// function nested in a method, in a metamethod, at top level. A bindenv copy keeps its method's base.
local function try_(f) { try { print(f() + "\n"); } catch (e) { print("caught: " + e + "\n"); } }
class A { function m() { return "A"; } }
class B extends A {
  function m() { return "B" + base.m(); }
  function nested() { local f = function() { return base.m(); }; return f(); }
  function _get(k) { return base.m(); }
  static function s() { return "s" + base.m(); }
}
class C extends B {}
try_(@() C().m() + " " + B.s() + " " + (B.m.call(C()) ));
try_(@() B().nested());
try_(@() B().nokey);
try_(@() B.m.bindenv(B())());
B.added <- function() { return "added" + base.m(); };
function B::viaName() { return "name" + base.m(); }
try_(@() B().added() + " " + B().viaName());
local f = function() { return base; };
class D extends A {}
D.g <- f;
try_(@() (f == D.g) + " " + (D.g() == A) + " " + (f() == null));
try_(@() A().m() + " " + ((function() { return base; })() == null));
