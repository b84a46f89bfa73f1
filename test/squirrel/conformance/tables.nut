// S2 S3 S4: tables: <- vs =, delete, in, raw access, len, clear, integer and mixed keys.
local t = {};
t.x <- 1;
t["y"] <- 2;
t[3] <- "three";
t[3.5] <- "float key";
t[true] <- "bool key";
print(t.len() + " " + t.x + " " + t.y + " " + t[3] + " " + t[3.5] + " " + t[true] + "\n");
try { t.z = 5; } catch (e) { print("caught: " + e + "\n"); }
t.x = 10;
print(t.x + " " + ("x" in t) + " " + ("z" in t) + " " + (3 in t) + " " + (4 in t) + "\n");
print((delete t.x) + " " + ("x" in t) + " " + t.len() + "\n");
try { delete t.nothere; } catch (e) { print("caught: " + e + "\n"); }
try { print(t.nothere); } catch (e) { print("caught: " + e + "\n"); }
try { t[null] <- 1; } catch (e) { print("caught: " + e + "\n"); }
try { print(t[null]); } catch (e) { print("caught: " + e + "\n"); }
print(t.rawget("y") + " " + t.rawin("y") + " " + t.rawin("q") + "\n");
t.rawset("q", 7);
print(t.q + " " + t.rawdelete("q") + " " + t.rawin("q") + " " + (t.rawdelete("q") == null) + "\n");
try { t.rawget("nope"); } catch (e) { print("caught: " + e + "\n"); }
local u = { a = 1, b = 2, ["c d"] = 3, [10] = "ten", "e": 5 };
print(u.a + " " + u.b + " " + u["c d"] + " " + u[10] + " " + u.e + " " + u.len() + "\n");
u.clear();
print(u.len() + " " + ("a" in u) + "\n");
// 4 keys fill a 4-node table, so it grows to 8 nodes; integer keys sit at key & 7: foreach walks nodes 0..7
local n = {};
n[3] <- "c"; n[1] <- "a"; n[2] <- "b"; n[0] <- "z";
foreach (k, v in n) print(k + "=" + v + " ");
print("\n");
// single-letter keys: "a" hashes to 128, "b" 131, "c" 130, "d" 133 (S2); 4 keys make 8 nodes: a(0) c(2) b(3) d(5)
local s = { b = 2, a = 1, d = 4, c = 3 };
foreach (k, v in s) print(k + "=" + v + " ");
print("\n");
// 9 keys: 16 nodes, the imp's order a c b e d g f i h (JSONEncoder's tests, S2); these orders are the
// imp's by the hash rule, and the reference happens to agree for one-letter keys
local big = { a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i = 9 };
foreach (k, v in big) print(k);
print("\n");
local nested = { inner = { deep = [1, 2, { x = "found" }] } };
print(nested.inner.deep[2].x + "\n");
local cnt = { n = 0 };
cnt.n++;
cnt.n += 5;
++cnt.n;
print(cnt.n + " " + cnt.n-- + " " + cnt.n + "\n");
local k = {};
local keyt = {};
k[keyt] <- "table as key";
print(k[keyt] + " " + (keyt in k) + " " + ({} in k) + "\n");
print(typeof t + " " + t.tostring().slice(0, 8) + "\n");
local tt = { f = function() { return this.v; }, v = 42 };
print(tt.f() + "\n");
local c = clone big;
c.a = 100;
print(big.a + " " + c.a + " " + c.len() + "\n");
print(t.len() + " " + {}.len() + "\n");
