// S3: do/while, for with empty parts, nested break/continue, ternary chains, && and || returning operands, commas.
local i = 0;
do { i++; } while (i < 5);
print(i + " ");
i = 10;
do { i++; } while (i < 5);
print(i + "\n");
local n = 0;
for (;;) { if (++n >= 4) break; }
print(n + " ");
for (local j = 0; j < 3;) { j++; n += j; }
print(n + " ");
local k = 0;
for (; k < 3; k++);
print(k + "\n");
local s = "";
for (local a = 0; a < 4; a++) {
  if (a == 1) continue;
  for (local b = 0; b < 4; b++) {
    if (b == 2) break;
    if (a == 3 && b == 1) continue;
    s += a + "" + b + " ";
  }
}
print(s + "\n");
local w = 0, total = 0;
while (w < 10) {
  w++;
  if (w % 2) continue;
  if (w > 8) break;
  total += w;
}
print(total + "\n");
local grade = @(x) x >= 90 ? "A" : x >= 80 ? "B" : x >= 70 ? "C" : "F";
print(grade(95) + grade(85) + grade(75) + grade(10) + "\n");
print((null || "default") + " " + (0 || 0.0 || "") + "|" + (1 && "second") + " " + ((null && "never") == null) + " " + ((false || null) == null) + "\n");
print(("a" && 0) + " " + (0 && "a") + " " + ([] || 1).len() + "\n");
local calls = 0;
local function touch(v) { calls++; return v; }
local r = touch(false) && touch(true);
r = touch(true) || touch(false);
print(calls + "\n");
local c = (1, 2, 3);
print(c + "\n");
local p = 0, q = 0;
for (p = 0, q = 10; p < q; p += 3, q -= 3);
print(p + " " + q + "\n");
print((!0) + " " + (!1) + " " + (!null) + " " + (!"") + " " + (![]) + " " + (!0.0) + " " + (!!5) + "\n");
if (0.0) print("no\n"); else print("0.0 is false\n");
if ("") print("empty string is true\n");
if ([]) print("empty array is true\n");
if ({}) print("empty table is true\n");
if (null) print("no\n"); else if (0) print("no\n"); else print("else-if chain\n");
local v = 3;
if (v > 1)
  if (v > 5) print("big\n");
  else print("dangling else binds inner\n");
local x = 1;
x = x == 1 ? x + 1 : x - 1;
print(x + "\n");
local t = { a = 1 };
print(("a" in t && t.a == 1) + " " + ("b" in t || "c" in t) + "\n");
print((1 < 2 == true) + " " + (3 & 1 | 4) + " " + (2 + 3 * 4 > 10 && 1 != 2) + "\n");
local depth = 0;
while (true) { while (true) { depth++; break; } if (depth > 2) break; }
print(depth + "\n");
print((1 in [5, 6]) + " " + ("x" in {x = 1} && true) + "\n");
