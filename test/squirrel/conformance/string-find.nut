// S4: string find and slice as the C library sees byte strings: strstr from a start inside the string (outside:
// null), strings end at a NUL byte for find; slice with no arguments copies.
local s = "hello world";
foreach (a in [["o", 0], ["o", 5], ["o", 8], ["", 0], ["", 11], ["o", 11], ["o", -1], ["o", 100], ["world", 6]]) {
  local r = s.find(a[0], a[1]);
  print((r == null ? "null" : r) + " ");
}
local z = "a\0bc";
print((z.find("b") == null ? "null" : z.find("b")) + " " + z.find("b", 2) + " " + ("abc".find("b\0x")) + " " + "abc".find("") + "\n");
print("abc".slice(0) + "|" + "".slice(0) + "|" + "abc".slice(3) + "|" + [1,2].slice().len() + "|" + "ab".slice().len() + "\n");
