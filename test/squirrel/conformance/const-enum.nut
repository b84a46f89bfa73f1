// S3 S4: const and enum are compile-time: substituted where used, listed in getconsttable().
const LIMIT = 10;
const NAME = "imp";
const RATIO = 1.5;
const NEG = -3;
enum Color { RED, GREEN = 5, BLUE, NAMED = "n", F = 2.5 }
print(LIMIT + " " + NAME + " " + RATIO + " " + NEG + " " + typeof RATIO + "\n");
print(Color.RED + " " + Color.GREEN + " " + Color.BLUE + " " + Color.NAMED + " " + Color.F + "\n");
local ct = getconsttable();
print(ct.LIMIT + " " + ct.NAME + " " + ct.Color.BLUE + " " + typeof ct.Color + "\n");
function useConst() { return LIMIT * 2; }
print(useConst() + "\n");
local LIMIT2 = LIMIT + 1;
print(LIMIT2 + "\n");
switch (6) { case Color.BLUE: print("blue\n"); break; default: print("other\n"); }
local t = { [Color.GREEN] = "green" };
print(t[5] + "\n");
class C { v = LIMIT; static S = Color.BLUE; }
print(C().v + " " + C.S + "\n");
print(("LIMIT" in getroottable()) + " " + ("LIMIT" in getconsttable()) + "\n");
enum E2 { A, B, C }
print(E2.A + E2.B + E2.C + "\n");
