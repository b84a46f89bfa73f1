// S3 S4: statics are shared with subclasses and instances; newmember/rawnewmember; _newmember receives
// (key, value, attributes, isstatic) and stores nothing itself; _inherited runs on the base for each subclass.
local function t(f) { try { print(f() + "\n"); } catch (e) { print("caught: " + e + "\n"); } }
class A { static S = 1; static arr = []; x = 2; }
local a = A();
t(@() A.S + " " + a.S + " " + a.x);
t(function() { a.S = 5; return A.S; });
t(function() { A.arr.push(1); class B extends A {} return B.arr.len() + " " + B.S; });
t(function() { A.newmember("y", 3); return A().y; });
t(function() { class C { x = 1 } C.newmember("y", 2, { doc = "d" }); C.rawnewmember("z", 4); return C().y + C().z + C.getattributes("y").doc; });
t(function() { class C { x = 1 } C.newmember("f", function() { return "static f"; }, null, true); return C.f(); });
t(function() { class N { function _newmember(k, v, attr, isstatic) { ::seen <- k + isstatic; } } class M extends N { q = 1; static z = 2; } return ::seen + " " + ("z" in M); });
t(function() { class N { static function _inherited(attr) { ::inh <- "inherited " + attr.tag; } } class M extends N </ tag = "t" /> {} return ::inh; });
t(function() { class C { x = 1 } local c = C(); C.newmember("late", 1); });
t(function() { class C { x = 1; x = 2; } return C().x; });
t(function() { class C { y = 2; x = y; } return C().x; });
