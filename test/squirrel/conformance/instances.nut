// S3 S4: instances: fields vs methods vs statics, _newslot/_delslot, clone, raw access, methods as values.
class Store {
  items = null;
  static VERSION = "1.0";
  static function make() { return Store(); }
  constructor() { items = {}; }
  function _newslot(k, v) { items[k] <- v; }
  function _delslot(k) { local v = items[k]; delete items[k]; return v; }
  function _get(k) { if (k in items) return items[k]; throw null; }
  function count() { return items.len(); }
}
local s = Store.make();
s.apple <- 3;
s.pear <- 4;
print(s.count() + " " + s.apple + " " + s.pear + " " + Store.VERSION + " " + s.VERSION + "\n");
print((delete s.apple) + " " + s.count() + "\n");
try { s.VERSION = "2"; } catch (e) { print("caught: " + e + "\n"); }
try { s.count = null; } catch (e) { print("caught: " + e + "\n"); }
local m = s.count;
print(typeof m + " " + m.call(s) + " " + (m == Store.count) + "\n");
class P { x = 1; y = [1]; function sum() { return x + y[0]; } }
local a = P();
local b = clone a;
b.x = 10;
b.y.append(2);
print(a.x + " " + b.x + " " + a.y.len() + " " + (a.y == b.y) + " " + b.sum() + "\n");
print(a.rawin("x") + " " + a.rawin("sum") + " " + P.rawin("x") + " " + ("sum" in a) + " " + ("zzz" in a) + "\n");
print(a.getclass().rawget("x") + " " + typeof a.getclass().rawget("sum") + "\n");
local fresh = P.instance();
print(fresh.x + " " + (fresh.y == a.y) + "\n");
class Base {
  name = "base";
  function describe() { return "I am " + name + " (" + kind() + ")"; }
  function kind() { return "Base"; }
}
class Mid extends Base { function kind() { return "Mid"; } }
class Leaf extends Mid {
  name = "leaf";
  constructor() { }
  function kind() { return "Leaf<" + base.kind() + ">"; }
}
print(Base().describe() + " | " + Mid().describe() + " | " + Leaf().describe() + "\n");
print((Leaf.getbase() == Mid) + " " + (Leaf.getbase().getbase() == Base) + " " + (Leaf() instanceof Base) + "\n");
class Chain {
  v = 0;
  function add(n) { v += n; return this; }
}
print(Chain().add(1).add(2).add(3).v + "\n");
class WithStaticTable { static registry = []; function reg() { registry.append(this); return registry.len(); } }
WithStaticTable().reg();
print(WithStaticTable().reg() + " " + WithStaticTable.registry.len() + "\n");
local inst = Leaf();
local f = inst.kind;
print(f() + "\n");
