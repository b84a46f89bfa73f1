// S4: what the built-in methods return (most return nothing: null).
local t = {};
print((t.rawset("a", 1) == null) + " " + ([3,1].sort() == null) + " " + ([1].reverse() == null) + " " + ({}.clear() == null) + " " + ([].clear() == null) + "\n");
print(([1].insert(0, 2) == null) + " " + ([1].resize(3) == null) + " " + (t.rawdelete("a")) + " " + ([].append(1) == null) + " " + ([].push(1) == null) + "\n");
class C { x = 1; }
local c = C();
print((c.rawset("x", 2) == null) + " " + (C.rawset("y", 2) == null) + " " + (c.getclass() == C) + "\n");
print(([1, 2].apply(@(v) v) == null) + " " + typeof [1].extend([2]) + "\n");
print((("abc").find("c", 3) == null) + " " + ({ a = 1 }.setdelegate({}).len()) + " " + typeof {}.setdelegate(null) + " " + (clone [1, 2]).len() + "\n");
