// S4: format() as C's printf; split (3.0.4's: empty tokens dropped), strip/lstrip/rstrip.
// 3.0.4's split is strtok: runs of separators collapse and empty tokens are dropped (the 3.1 reference keeps
// them), and the string ends at a NUL byte as C sees it: the split lines are hand-edited.
print(format("%d|%5d|%-5d|%05d|%+d|%x|%X|%o|%c|%s|%%", 42, 42, 42, 42, 42, 255, 255, 8, 65, "str") + "\n");
print(format("%f|%.2f|%10.3f|%-10.1f|%e|%.3e|%g|%G", 3.14159, 3.14159, 3.14159, 3.14159, 12345.678, 0.00012, 0.0001, 1e20) + "\n");
try { format("%s", 1); } catch (e) { print("caught: " + e + "\n"); }
print(format("%d %d", 3.9, -3.9) + "|" + format("%f", 2) + "|" + format("%5.1s|", "abc") + "\n");
print(format("%08.3f|%+.1e|% d|%#x|%#o", -3.14159, 1234.5, 7, 255, 8) + "\n");
print(format("no args") + " " + format("%c%c%c", 72, 105, 33) + " " + format("%c", 0).len() + "\n");
print(format("%x %d", -1, -2147483648) + "\n");
print(format("%10s|%-10s|", "right", "left") + "\n");
try { format("%d", "x"); } catch (e) { print("caught: " + e + "\n"); }
try { format("%d"); } catch (e) { print("caught: " + e + "\n"); }
try { format("%s %s", 1); } catch (e) { print("caught: " + e + "\n"); }
local parts = split("a,b,,c", ",");
print(parts.len() + ":");
foreach (p in parts) print("[" + p + "]");
print("\n");
parts = split("  hello   world  ", " ");
print(parts.len() + ":");
foreach (p in parts) print("[" + p + "]");
print("\n");
parts = split("k1=v1;k2=v2", "=;");
print(parts.len() + ":");
foreach (p in parts) print("[" + p + "]");
print("\n");
parts = split("", ",");
print(parts.len() + "\n");
try { split("abc", ""); } catch (e) { print("caught: " + e + "\n"); }
parts = split("a b\0c d", " ");
print(parts.len() + ":" + parts[1] + "\n");
parts = split(",,,", ",");
print(parts.len() + "\n");
print("[" + strip("  \t x y \n ") + "][" + lstrip("  x  ") + "][" + rstrip("  x  ") + "][" + strip("") + "][" + strip("   ") + "]\n");
print("[" + strip("\r\nabc\f\v") + "]\n");
