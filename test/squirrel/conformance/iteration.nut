// S3: foreach over arrays, strings, tables, classes, generators and instances with _nexti; loop variables.
foreach (i, v in ["a", "b"]) print(i + "=" + v + " ");
foreach (v in [10, 20]) print(v + " ");
foreach (i, c in "hi") print(i + ":" + c + " ");
print("\n");
local t = {};
for (local i = 0; i < 6; i++) t[i] <- i * i;
local sum = 0, keys = 0;
foreach (k, v in t) { sum += v; keys += k; }
print(sum + " " + keys + "\n");
foreach (k, v in t) print(k + " ");
print("\n");
foreach (v in {}) print("never");
foreach (v in []) print("never");
foreach (v in "") print("never");
class Range {
  lo = 0; hi = 0;
  constructor(a, b) { lo = a; hi = b; }
  function _nexti(prev) {
    if (prev == null) return lo < hi ? lo : null;
    return prev + 1 < hi ? prev + 1 : null;
  }
  function _get(k) { if (typeof k == "integer") return k * 100; throw null; }
}
foreach (k, v in Range(2, 5)) print(k + ":" + v + " ");
print("\n");
class Fields {
  a = 1; b = 2;
  function _nexti(prev) {
    if (prev == null) return "a";
    if (prev == "a") return "b";
    return null;
  }
}
foreach (k, v in Fields()) print(k + "=" + v + " ");
print("\n");
class NoNexti { x = 1; }
try { foreach (k, v in NoNexti()) print(k); } catch (e) { print("caught: " + e + "\n"); }
class BadNexti { function _nexti(p) { return p == null ? "nope" : null; } }
try { foreach (k, v in BadNexti()) print(k); } catch (e) { print("caught: " + e + "\n"); }
try { foreach (v in 5) print(v); } catch (e) { print("caught: " + e + "\n"); }
try { foreach (v in null) print(v); } catch (e) { print("caught: " + e + "\n"); }
local arr = [1, 2, 3];
foreach (i, v in arr) { if (i == 0) arr.append(4); }
print(arr.len() + "\n");
local vals = [];
foreach (v in [1, 2, 3]) { vals.append(function() { return v; }); }
foreach (f in vals) print(f() + " ");
print("\n");
local last = null;
foreach (i, v in [5, 6, 7]) last = i;
print(last + "\n");
local nested = [[1, 2], [3, 4]];
local flat = "";
foreach (row in nested) foreach (cell in row) flat += cell;
print(flat + "\n");
local broken = 0;
foreach (v in [1, 2, 3, 4, 5]) { if (v == 2) continue; if (v == 4) break; broken += v; }
print(broken + "\n");
local classKeys = 0;
class Members { a = 1; b = 2; function m() {} static s = 3; }
foreach (k, v in Members) classKeys++;
print(classKeys + "\n");
