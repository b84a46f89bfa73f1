// S2 S4: typeof and type() of every kind of value; weak references; tostring of objects (only the "(type : 0x"
// prefix: impnet's "address" is the object's number in its VM, not a real address).
class C {}
function g() { yield 1; }
local keep = [];
local values = [null, true, 1, 1.0, "s", [], {}, C, C(), print, g, g(), @(x) x];
foreach (v in values) print(typeof v + "/" + type(v) + " ");
print("\n");
foreach (v in [[], {}, C, C(), print, g, g()]) print(v.tostring().slice(0, v.tostring().find(":") + 4) + " ");
print("\n");
print(typeof (1).weakref() + " " + (1).weakref() + " " + typeof "s".weakref() + " " + (true).weakref() + " " + typeof (1.5).weakref() + "\n");
local t = { v = 5 };
local w = t.weakref();
print(typeof w + " " + w.ref().v + " " + (w.ref() == t) + " " + type(w) + "\n");
try { print(w.v); } catch (e) { print("caught: " + e + "\n"); }
local a = [1, 2];
local wa = a.weakref();
print(wa.ref().len() + " " + typeof wa.ref() + "\n");
local inst = C();
local wi = inst.weakref();
print((wi.ref() == inst) + " " + typeof wi.ref() + "\n");
local wf = g.weakref();
print(typeof wf.ref() + " " + typeof wf.weakref() + "\n");
// A weak reference read back from a table, an array or an instance's field is the object it refers to.
local holder = { ref = t.weakref(), fn = g.weakref() };
local arr = [t.weakref()];
print(typeof holder.ref + " " + holder.ref.v + " " + typeof arr[0] + " " + typeof holder.fn + "\n");
foreach (k, v in arr) print(typeof v + "\n");
print(typeof typeof 1 + " " + typeof(1 + 1) + "\n");
print((1).tostring() + (1.5).tostring() + (true).tostring() + "s".tostring() + "\n");
print(true + " " + false + " " + (true + "") + " " + ("" + 1 + 2) + " " + (1 + 2 + "") + "\n");
print(type(type) + " " + typeof getroottable() + " " + typeof getconsttable() + "\n");
print((typeof null == "null") + " " + (type(null) == "null") + "\n");
