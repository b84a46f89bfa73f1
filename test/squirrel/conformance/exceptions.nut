// S3: try/catch/throw: any value can be thrown, nesting, rethrow, native errors as strings, catch in loops,
// break and continue inside try.
try { throw "a string"; } catch (e) { print(typeof e + " " + e + "\n"); }
try { throw 42; } catch (e) { print(typeof e + " " + e + "\n"); }
try { throw 1.5; } catch (e) { print(typeof e + " " + e + "\n"); }
try { throw { code = 7 }; } catch (e) { print(typeof e + " " + e.code + "\n"); }
try { throw [1, 2]; } catch (e) { print(typeof e + " " + e.len() + "\n"); }
try { throw null; } catch (e) { print(typeof e + "\n"); }
class MyError { msg = null; constructor(m) { msg = m; } }
try { throw MyError("custom"); } catch (e) { print((e instanceof MyError) + " " + e.msg + "\n"); }
try {
  try { throw "inner"; }
  catch (e) { print("inner caught " + e + "\n"); throw "rethrown " + e; }
} catch (e) { print("outer caught " + e + "\n"); }
function thrower(v) { throw v; }
function middle(v) { thrower(v); return "not reached"; }
try { middle("deep"); } catch (e) { print("caught " + e + "\n"); }
try { local a = [1]; a[5]; } catch (e) { print(typeof e + ": " + e + "\n"); }
try { ({}).x; } catch (e) { print(e + "\n"); }
try { "abc" + {}.nothing; } catch (e) { print(e + "\n"); }
try { [].pop(); } catch (e) { print(e + "\n"); }
try { assert(false); } catch (e) { print(e + "\n"); }
try { assert(1 == 1); print("assert ok\n"); } catch (e) { print(e + "\n"); }
local log = [];
for (local i = 0; i < 5; i++) {
  try {
    if (i == 1) continue;
    if (i == 3) break;
    if (i == 2) throw "two";
    log.append("body" + i);
  } catch (e) {
    log.append("catch " + e);
  }
}
foreach (l in log) print(l + "; ");
print("\n");
local count = 0;
foreach (i in [1, 2, 3, 4]) {
  try { if (i % 2 == 0) throw i; count += 100; } catch (e) { count += e; }
}
print(count + "\n");
function retInTry() {
  try { return "from try"; } catch (e) { return "from catch"; }
}
print(retInTry() + "\n");
local w = 0;
while (true) {
  try { w++; if (w > 2) throw "stop"; } catch (e) { break; }
}
print(w + "\n");
function nestedLoops() {
  local r = "";
  foreach (a in [1, 2]) {
    foreach (b in [1, 2, 3]) {
      try {
        if (b == 2) continue;
        r += a + "" + b + " ";
      } catch (e) {}
    }
  }
  return r;
}
print(nestedLoops() + "\n");
try { throw "uncaught at the end"; } catch (e) { print("ok\n"); }
local e = "outer e";
try { throw "x"; } catch (e) { }
print(e + "\n");
throw "final";
