// S3: generators: yield/resume, getstatus, foreach over a generator, resuming a dead one, yield inside loops and try.
function gen(n) {
  for (local i = 0; i < n; i++) yield i * 10;
  return "done";
}
local g = gen(3);
print(typeof g + " " + g.getstatus() + "\n");
print(resume g + " " + g.getstatus() + "\n");
print(resume g + " " + resume g + "\n");
print(resume g + " " + g.getstatus() + "\n");
try { resume g; } catch (e) { print("caught: " + e + "\n"); }
foreach (i, v in gen(4)) print(i + ":" + v + " ");
print("\n");
function fibgen() {
  local a = 0, b = 1;
  while (true) { yield a; local t = a + b; a = b; b = t; }
}
local fg = fibgen();
for (local i = 0; i < 10; i++) print(resume fg + " ");
print("\n");
function thrower() { yield 1; throw "gen error"; }
local tg = thrower();
print(resume tg + "\n");
try { resume tg; } catch (e) { print("caught: " + e + " " + tg.getstatus() + "\n"); }
function selfResume() { yield resume ::sg; }
::sg <- selfResume();
try { resume ::sg; } catch (e) { print("caught: " + e + "\n"); }
try { resume 5; } catch (e) { print("caught: " + e + "\n"); }
local obj = { items = [1, 2, 3], function each() { foreach (x in items) yield x * 2; } };
local s = 0;
foreach (v in obj.each()) s += v;
print(s + "\n");
function empty() { return 7; yield 1; }
local eg = empty();
print(eg.getstatus() + " ");
local r = resume eg;
print(r + " " + eg.getstatus() + "\n");
local n = 0;
foreach (v in empty()) n++;
print(n + "\n");
function nested() { foreach (v in gen(2)) yield v + 1; }
foreach (v in nested()) print(v + " ");
print("\n");
function yieldNull() { yield; yield null; }
foreach (i, v in yieldNull()) print(i + ":" + (v == null) + " ");
print("\n");
// A yield inside try: the reference build stops on an assertion (its debug check of the trap count); the imp's
// release build keeps the generator's traps across the yield, so the catch still catches: hand-written.
function withTry() {
  try {
    yield 1;
    throw "inside";
  } catch (e) {
    yield "caught " + e;
  }
  yield 3;
}
foreach (v in withTry()) print(v + " ");
print("\n");
