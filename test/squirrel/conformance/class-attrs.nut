// S3 S4: class attributes </ />, getattributes/setattributes, newmember, rawset/rawget on classes, _inherited, _newmember.
class Device </ kind = "sensor", version = 2 /> {
  </ unit = "C", range = [0, 100] />
  temperature = 20;
  </ deprecated = true />
  function read() { return temperature; }
  </ note = "static" /> static LIMIT = 50;
  plain = 1;
}
local attrs = Device.getattributes(null);
print(attrs.kind + " " + attrs.version + "\n");
local ta = Device.getattributes("temperature");
print(ta.unit + " " + ta.range[1] + "\n");
print(Device.getattributes("read").deprecated + " " + (Device.getattributes("plain") == null) + "\n");
print(Device.getattributes("LIMIT").note + " " + Device.LIMIT + "\n");
try { Device.getattributes("nothing"); } catch (e) { print("caught: " + e + "\n"); }
local old = Device.setattributes("plain", { added = "yes" });
print((old == null) + " " + Device.getattributes("plain").added + "\n");
Device.setattributes(null, { replaced = 1 });
print(Device.getattributes(null).replaced + "\n");
class Empty {}
print((Empty.getattributes(null) == null) + "\n");
Empty.newmember("f", function() { return "new member"; });
Empty.newmember("field", 7, { tag = "t" });
Empty.newmember("stat", 8, null, true);
print(Empty().f() + " " + Empty().field + " " + Empty.getattributes("field").tag + " " + Empty.stat + "\n");
Device.rawset("extra", function() { return "raw method"; });
print(Device().extra() + " " + Device.rawget("LIMIT") + " " + Device.rawin("extra") + "\n");
try { Device.rawset("newfield", 3); } catch (e) { print("caught: " + e + "\n"); }
try { Device.rawget("zzz"); } catch (e) { print("caught: " + e + "\n"); }
class Parent {
  function _inherited(a) { ::log.append("inherited with " + (a == null ? "no attrs" : a.tag)); }
  function _newmember(k, v, a, s) { ::log.append("newmember " + k + (s ? " static" : "")); rawset(k, v); }
}
::log <- [];
class Child extends Parent </ tag = "T" /> {
  x = 1;
  static y = 2;
  function f() { return x; }
}
class Child2 extends Parent {}
foreach (l in log) print(l + "; ");
print("\n" + Child().f() + " " + Child.y + "\n");
// A subclass's members start as a copy of its base's
class Base2 { a = 1; function m() { return "m"; } }
class Derived2 extends Base2 { b = 2; }
local keys = [];
foreach (k, v in Derived2) keys.append(k);
keys.sort();
foreach (k in keys) print(k + " ");
print("\n");
// rawnewmember (3.0.3) skips _newmember; an error in _inherited is ignored in 3.0.4 (3.1 RC1 started propagating
// it, as the reference does: the last line is hand-edited to 3.0.4)
Child.rawnewmember("raw", 5, null, true);
print(log.len() + " " + Child.raw + "\n");
class Noisy { function _inherited(a) { throw "inherited failed"; } }
class Quiet extends Noisy { v = 1; }
print(Quiet().v + "\n");
