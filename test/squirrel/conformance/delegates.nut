// S3: table delegates: setdelegate/getdelegate, lookups through the delegate, _get/_set/_newslot/_delslot, clone keeps it.
local proto = { greet = function() { return "hello from " + this.name; }, shared = 1 };
local t = { name = "t" };
print((t.setdelegate(proto) == t) + " " + (t.getdelegate() == proto) + "\n");
print(t.greet() + " " + t.shared + " " + ("shared" in t) + " " + t.rawin("shared") + "\n");
try { t.rawget("shared"); } catch (e) { print("caught: " + e + "\n"); }
t.shared = 5;
print(t.shared + " " + proto.shared + " " + t.rawin("shared") + "\n");
t.shared <- 7;
print(t.shared + " " + proto.shared + " " + t.rawin("shared") + "\n");
print(t.len() + " " + typeof t.getdelegate() + "\n");
t.setdelegate(null);
print((t.getdelegate() == null) + "\n");
try { t.greet(); } catch (e) { print("caught: " + e + "\n"); }
local log = [];
local meta = {
  _get = function(k) { log.append("get " + k); if (k == "magic") return 42; throw null; },
  _set = function(k, v) { log.append("set " + k + "=" + v); if (k == "ro") throw "read only"; },
  _newslot = function(k, v) { log.append("newslot " + k); rawset(k, v * 10); },
  _delslot = function(k) { log.append("delslot " + k); return "deleted"; },
};
local obj = {}.setdelegate(meta);
print(obj.magic + "\n");
try { print(obj.nothing); } catch (e) { print("caught: " + e + "\n"); }
obj.anything = 3;
try { obj.ro = 1; } catch (e) { print("caught: " + e + "\n"); }
obj.fresh <- 4;
print(obj.fresh + " " + obj.rawget("fresh") + "\n");
obj.fresh <- 5;
print(obj.fresh + "\n");
print((delete obj.fresh) + " " + obj.rawin("fresh") + "\n");
foreach (l in log) print(l + "; ");
print("\n");
local c = clone t.setdelegate(proto);
print((c.getdelegate() == proto) + " " + c.greet() + "\n");
local withClone = { v = 1 }.setdelegate({ _cloned = function(orig) { this.v = orig.v + 100; } });
local cc = clone withClone;
print(cc.v + " " + withClone.v + "\n");
local chain = { a = "A" };
local mid = { b = "B" }.setdelegate(chain);
local leaf = { c = "C" }.setdelegate(mid);
print(leaf.a + leaf.b + leaf.c + "\n");
local tt = { _typeof = function() { return "custom"; } };
print(typeof {}.setdelegate(tt) + " " + type({}.setdelegate(tt)) + "\n");
local ts = { _tostring = function() { return "I am " + this.n; } };
print({ n = 3 }.setdelegate(ts) + "\n");
try { t.setdelegate(5); } catch (e) { print("caught: " + e + "\n"); }
