// S3: more classes: root and nested class names, static functions' this, anonymous classes, constructor return
// values, _tostring returning a non-string, _cmp in sort and its integer rule, instance rawset of a non-field.
class ::RootClass { v = 1; }
print(RootClass().v + " " + ::RootClass().v + "\n");
local T = { };
class T.Inner { w = 2; }
print(T.Inner().w + "\n");
class A { static function s() { return typeof this; } function m() { return typeof this; } }
print(A.s() + " " + A().s() + " " + A().m() + "\n");
class B extends A { function m() { return "B:" + base.m(); } }
print(B().m() + " " + B.s() + "\n");
local c = class extends B { function m() { return "anon:" + base.m(); } };
print(c().m() + "\n");
print((5 instanceof A) + " " + (null instanceof A) + "\n");
class WithCtor { constructor(a, b) { } }
try { WithCtor(1); } catch (e) { print(e + "\n"); }
class Ctr { n = 0; constructor() { n = 5; return 99; } }
print(Ctr().n + "\n");
class Tostr { function _tostring() { return 42; } }
print(("" + Tostr()).slice(0, 11) + "\n");
class Cmp { v = 0; constructor(x) { v = x; } function _cmp(o) { return v - o.v; } }
local arr = [Cmp(3), Cmp(1), Cmp(2)];
arr.sort();
foreach (x in arr) print(x.v + " ");
print("\n");
print((Cmp(1) < Cmp(2)) + " " + (Cmp(2) == Cmp(2)) + "\n");
class FloatCmp { function _cmp(o) { return 0.5; } }
try { print(FloatCmp() < FloatCmp()); } catch (e) { print(e + "\n"); }
local inst = A();
inst.rawset("nope", 1);
