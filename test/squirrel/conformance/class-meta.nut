// S3: metamethods on classes: _tostring _typeof _cmp _add _sub _mul _div _modulo _unm _call _get _set _cloned, and
// how they stay out of the class's members.
class Vec {
  x = 0; y = 0;
  constructor(a, b) { x = a; y = b; }
  function _tostring() { return "Vec(" + x + "," + y + ")"; }
  function _typeof() { return "vector"; }
  function _add(o) { return Vec(x + o.x, y + o.y); }
  function _sub(o) { return Vec(x - o.x, y - o.y); }
  function _mul(k) { return Vec(x * k, y * k); }
  function _div(k) { return Vec(x / k, y / k); }
  function _modulo(k) { return Vec(x % k, y % k); }
  function _unm() { return Vec(-x, -y); }
  function _cmp(o) { local a = x * x + y * y, b = o.x * o.x + o.y * o.y; return a < b ? -1 : a > b ? 1 : 0; }
  function _call(self, k) { return x * k; }
  function _cloned(orig) { x = orig.x + 1000; }
}
local a = Vec(1, 2), b = Vec(3, 4);
print(a + " " + (a + b) + " " + (b - a) + " " + (a * 3) + " " + (b / 2) + " " + (b % 2) + " " + (-a) + "\n");
print(typeof a + " " + type(a) + " " + a.tostring() + "\n");
print((a < b) + " " + (a > b) + " " + (a <= Vec(2, 1)) + " " + (a >= Vec(2, 1)) + " " + (a <=> b) + " " + (a == Vec(1, 2)) + "\n");
print(a(10) + "\n");
local c = clone a;
print(c + " " + a + "\n");
print(("_add" in Vec) + " " + ("_tostring" in a) + " " + Vec.rawin("_cmp") + " " + ("x" in Vec) + "\n");
local names = [];
foreach (k, v in Vec) names.append(k);
names.sort();
foreach (k in names) print(k + " ");
print("\n");
try { a._tostring(); } catch (e) { print("caught: " + e + "\n"); }
class Bag {
  data = null;
  constructor() { data = { a = 1 }; }
  function _get(k) { if (k in data) return data[k]; throw null; }
  function _set(k, v) { if (k == "locked") throw "cannot set locked"; data[k] <- v; }
  function _nexti(prev) {
    if (prev == null) return "first";
    if (prev == "first") return "second";
    return null;
  }
}
local bag = Bag();
print(bag.a + "\n");
try { print(bag.b); } catch (e) { print("caught: " + e + "\n"); }
bag.b = 2;
print(bag.b + " " + bag.data.b + "\n");
try { bag.locked = 1; } catch (e) { print("caught: " + e + "\n"); }
try { print(a + 1); } catch (e) { print("caught: " + e + "\n"); }
try { print(Bag() + 1); } catch (e) { print("caught: " + e + "\n"); }
try { print(-Bag()); } catch (e) { print("caught: " + e + "\n"); }
try { print(Bag()(1)); } catch (e) { print("caught: " + e + "\n"); }
class Plain { v = 1; }
local p = Plain();
print(p.tostring().slice(0, 11) + " " + ("" + p).slice(0, 11) + " " + (p == p) + " " + (p == Plain()) + "\n");
try { foreach (k, v in p) print(k); } catch (e) { print("caught: " + e + "\n"); }
class Inherits extends Vec { function _tostring() { return "Sub" + base._tostring(); } }
print((Inherits(1, 1) + Vec(1, 1)) + " " + typeof Inherits(0, 0) + "\n");
// metamethods are not members: base._tostring does not exist
try { print(Inherits(5, 6) + "\n"); } catch (e) { print("caught: " + e + "\n"); }
