// S2 S3: operator precedence. `in` and `instanceof` bind at the && level in 3.0.4 (their right operand is a
// bitwise-or expression); the 3.1 reference binds them with the comparisons. The lines marked "3.0.4" differ
// between the two: their expected output is the reference's for the same lines with 3.0.4's grouping written
// out in parentheses (each comment gives both parses).
local t = { a = 1, [3] = "three", [false] = "f" };
class A {}
local x = A();
print((1 + 2 * 3) + " " + (10 - 4 - 3) + " " + (2 * 3 % 4) + " " + (-2 * -3) + " " + (1 << 2 + 1) + "\n");
print((1 < 2 == 2 > 1) + " " + (1 == 1 != false) + " " + (5 & 3 ^ 1 | 8) + " " + (~1 + 1) + "\n");
print((1 + 2 in t) + " " + ("a" in t && "b" in t) + " " + ("a" in t || 0) + "\n");
// 3.0.4: (1 | 2) in t -> true; the reference: 1 | (2 in t) -> error (bitwise op between integer and bool)
print((1 | 2 in t) + "\n");
// 3.0.4: "a" in (t == t) -> "a" in true -> false; the reference: ("a" in t) == t -> false
print(("a" in t == t) + "\n");
// 3.0.4: x instanceof (A == A) -> error; the reference: (x instanceof A) == A -> false
try { print((x instanceof A == A) + "\n"); } catch (e) { print("caught: " + e + "\n"); }
// 3.0.4: "a" in (t != null) -> "a" in true -> false; the reference: ("a" in t) != null -> true
print(("a" in t != null) + "\n");
print((x instanceof A && true) + " " + (!(x instanceof A)) + " " + (typeof x == "instance") + "\n");
print((typeof 1 + "x") + " " + (-1 + 2) + " " + (!true == false) + "\n");
local a = 1, b = 2;
a = b = 5;
print(a + " " + b + "\n");
local c = true ? 1 : 2 + 10;
print(c + " " + (false ? 1 : 2 + 10) + "\n");
local f = 0;
f += 2 * 3;
print(f + " " + (3 - -3) + " " + (2 - - 2) + "\n");
