// S3: switch: fall-through, default, string and expression cases, break inside switch in a loop, continue.
function sw(v) {
  local r = "";
  switch (v) {
    case 1: r += "one ";
    case 2: r += "two "; break;
    case "s": r += "string "; break;
    case 1.5: r += "float "; break;
    case 2 + 1: r += "three "; break;
    case null: r += "null "; break;
    default: r += "default ";
  }
  return r;
}
foreach (v in [1, 2, "s", 1.5, 3, null, 99, "x", 3.0]) print(sw(v) + "| ");
print("\n");
local out = "";
for (local i = 0; i < 6; i++) {
  switch (i % 3) {
    case 0: out += "zero "; break;
    case 1:
      if (i > 2) continue;
      out += "one ";
      break;
    default: out += "other ";
  }
  out += "/ ";
}
print(out + "\n");
local x = 5;
switch (x) {
  case 4:
  case 5:
  case 6: print("four to six\n"); break;
}
switch (x) { }
switch (x) { default: print("only default\n"); }
function computed(n) {
  local b = 10;
  switch (n) {
    case b: return "base";
    case b * 2: return "double";
    case sw(1): return "sw";
  }
  return "none";
}
print(computed(10) + " " + computed(20) + " " + computed("one two ") + " " + computed(0) + "\n");
local calls = [];
function probe(v) { calls.append(v); return v; }
switch (2) { case probe(1): break; case probe(2): break; case probe(3): break; }
foreach (c in calls) print(c + " ");
print("\n");
local n = 0;
while (n < 10) {
  n++;
  switch (n) {
    case 3: break;
    case 7: n = 100; break;
  }
}
print(n + "\n");
switch ("abc") { case "ab" + "c": print("concat match\n"); break; default: print("no\n"); }
local nested = "";
switch (1) {
  case 1:
    switch (2) { case 2: nested += "inner "; break; }
    nested += "after-inner ";
  case 2:
    nested += "fell ";
}
print(nested + "\n");
