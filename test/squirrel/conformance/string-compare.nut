// S2: strings compare as C's strcmp (Squirrel's ObjCmp): bytes unsigned, up to the first NUL, and `<=>` gives
// the difference of the first differing bytes, not just -1/0/1.
print(("a" <=> "c") + " " + ("c" <=> "a") + " " + ("a" <=> "") + " " + ("abc" <=> "ab") + " " + ("A" <=> "z") + " " + ("\xff" <=> "a") + " " + ("ab" <=> "ab") + "\n");
print(("abc" < "abd") + " " + ("b" > "abc") + " " + ("B" < "a") + " " + ("" < "a") + "\n");
local z = (0).tochar();
local a = "a" + z + "y", b = "a" + z + "z";
print(a.len() + " " + (a == b) + " " + (a < b) + " " + (a <= b) + " " + (a <=> b) + " " + (b > a) + "\n");
print((("a" + z) <=> "a") + "\n");
local arr = ["pear", "apple", "fig", "apples", "Zebra", ""];
arr.sort();
foreach (v in arr) print("[" + v + "]");
print("\n");
arr.sort(@(x, y) y <=> x);
foreach (v in arr) print("[" + v + "]");
print("\n");
