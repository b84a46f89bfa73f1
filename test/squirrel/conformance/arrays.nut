// S4: every array method; sort with and without a comparator (the order of equal elements is Squirrel's heapsort's).
local function show(a) { local s = "["; foreach (i, v in a) s += (i > 0 ? "," : "") + (v == null ? "null" : v); return s + "]"; }
local a = [1, 2, 3];
a.append(4); a.push(5);
print(show(a) + " " + a.len() + " " + a.top() + "\n");
print(a.pop() + " " + show(a) + "\n");
a.extend([6, 7]);
print(show(a) + "\n");
a.insert(0, 0); a.insert(a.len(), 99); a.insert(2, "x");
print(show(a) + "\n");
print(a.remove(2) + " " + show(a) + "\n");
try { a.insert(100, 1); } catch (e) { print("caught: " + e + "\n"); }
try { a.insert(-1, 1); } catch (e) { print("caught: " + e + "\n"); }
try { a.remove(100); } catch (e) { print("caught: " + e + "\n"); }
try { [].pop(); } catch (e) { print("caught: " + e + "\n"); }
try { [].top(); } catch (e) { print("caught: " + e + "\n"); }
local r = [1, 2];
r.resize(4);
print(show(r) + " ");
r.resize(6, "f");
print(show(r) + " ");
r.resize(1);
print(show(r) + "\n");
local rv = [1, 2, 3, 4];
rv.reverse();
print(show(rv) + " " + show([].reverse() == null ? [] : []) + "\n");
local s = [5, 3, 9, 1, 7, 3, 8, 2, 6, 4];
s.sort();
print(show(s) + "\n");
s.sort(function(x, y) { return y <=> x; });
print(show(s) + "\n");
// Equal keys: heapsort is not stable, the order is Squirrel's.
local recs = [[3, "a"], [1, "b"], [3, "c"], [2, "d"], [1, "e"], [3, "f"], [2, "g"], [1, "h"]];
recs.sort(@(x, y) x[0] <=> y[0]);
foreach (p in recs) print(p[0] + p[1] + " ");
print("\n");
recs.sort(@(x, y) y[0] <=> x[0]);
foreach (p in recs) print(p[0] + p[1] + " ");
print("\n");
local mixed = [3, 1.5, 2, 0.5];
mixed.sort();
print(show(mixed) + "\n");
local strs = ["pear", "apple", "fig", "Banana"];
strs.sort();
print(show(strs) + "\n");
local sl = [0, 1, 2, 3, 4, 5];
print(show(sl.slice(2)) + show(sl.slice(1, 3)) + show(sl.slice(-2)) + show(sl.slice(-4, -1)) + show(sl.slice(0, 0)) + "\n");
try { sl.slice(4, 2); } catch (e) { print("caught: " + e + "\n"); }
try { sl.slice(0, 10); } catch (e) { print("caught: " + e + "\n"); }
print(show(sl.map(@(v) v * v)) + " " + show(sl) + "\n");
local ap = [1, 2, 3];
print((ap.apply(@(v) v + 10) == null) + " " + show(ap) + "\n");
print(sl.reduce(@(acc, v) acc + v) + " " + ([].reduce(@(a, b) a + b) == null) + " " + [7].reduce(@(a, b) 0) + "\n");
print(show(sl.filter(@(i, v) v % 2 == 0)) + "\n");
print(sl.find(3) + " " + (sl.find(10) == null) + " " + ["a", "b"].find("b") + " " + [1, 2.0].find(2) + "\n");
local cl = [1, [2, 3]];
local c2 = clone cl;
c2[0] = 9; c2[1][0] = 8;
print(show(cl[1]) + " " + cl[0] + " " + c2[0] + "\n");
cl.clear();
print(cl.len() + " " + typeof cl + "\n");
print(show(array(3)) + show(array(2, "z")) + " " + array(0).len() + "\n");
try { a[10] = 1; } catch (e) { print("caught: " + e + "\n"); }
try { print(a[-1]); } catch (e) { print("caught: " + e + "\n"); }
try { print(a["x"]); } catch (e) { print("caught: " + e + "\n"); }
try { a.foo <- 1; } catch (e) { print("caught: " + e + "\n"); }
print((2 in [1, 2, 3]) + " " + (3 in [1, 2, 3]) + " " + a[1.5] + "\n");
print([1, 2, 3].tostring().slice(0, 7) + " " + [].len() + "\n");
