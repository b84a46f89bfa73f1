// S2: 32-bit integers: wrapping + - * and unary -, / truncation, % sign, shifts, bitwise ops, division by zero.
// The reference yields null for modulo by zero (it loses the error); the imp (and impnet) throws "modulo by zero" (S2): hand-edited.
local max = 2147483647, min = -2147483648;
print((max + 1) + " " + (min - 1) + " " + (max * 2) + " " + (-min) + "\n");
print((65536 * 65536) + " " + (65537 * 65537) + " " + (123456789 * 987654321) + "\n");
print((max + max) + " " + (min + min) + " " + (-max) + " " + (0 - min) + "\n");
print((7 / 2) + " " + (-7 / 2) + " " + (7 / -2) + " " + (-7 / -2) + "\n");
print((7 % 3) + " " + (-7 % 3) + " " + (7 % -3) + " " + (-7 % -3) + " " + (0 % 5) + "\n");
print((1 << 31) + " " + (1 << 30) + " " + (3 << 30) + " " + (-1 << 4) + "\n");
print((-16 >> 2) + " " + (-16 >>> 2) + " " + (-1 >>> 28) + " " + (min >> 31) + " " + (min >>> 31) + "\n");
print((16 >> 4) + " " + (16 >>> 4) + " " + (1 >> 1) + "\n");
print((0xF0 & 0x3C) + " " + (0xF0 | 0x0F) + " " + (0xFF ^ 0x0F) + " " + (~0) + " " + (~max) + " " + (~-1) + "\n");
print((0xFFFFFFFF) + " " + (0x80000000) + " " + (0x7FFFFFFF) + " " + 0x10 + " " + 017 + "\n");
print((2147483647 + 2147483647 * 2) + "\n");
local x = max;
x++;
print(x + "\n");
x--;
print(x + "\n");
x += 1;
print(x + "\n");
x -= 1;
x *= 3;
print(x + "\n");
local y = 100;
y /= 7;
print(y + "\n");
y %= 5;
print(y + "\n");
print((10 <=> 3) + " " + (3 <=> 10) + " " + (5 <=> 5) + "\n");
try { print(1 / 0); } catch (e) { print("caught: " + e + "\n"); }
try { print(5 % 0); } catch (e) { print("caught: " + e + "\n"); }
try { local z = 0; z /= 0; } catch (e) { print("caught: " + e + "\n"); }
print((1 + 2 * 3 - 4 / 2 % 3) + " " + ((1 + 2) * 3) + " " + (2 - 3 - 4) + " " + (100 / 10 / 5) + "\n");
print(typeof (7 / 2) + " " + typeof (max + 1) + "\n");
print(((5 & 3) == 1) + " " + (1 | 2 ^ 3 & 4) + " " + (1 + 1 << 2) + "\n");
// INT_MIN / -1 traps on the reference's x86; the imp's ARM wraps to INT_MIN, and INT_MIN % -1 is 0 (S2): hand-edited.
print((min / -1) + " " + (min % -1) + "\n");
