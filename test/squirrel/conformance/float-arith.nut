// S2: floats are float32 and print as C's %g; mixed int/float arithmetic; conversions.
print((1.0 / 3) + " " + 16777217.0 + " " + 2.0 + " " + 1e-5 + " " + 0.1 + "\n");
print(123456789.0 + " " + 1e20 + " " + 3.4e38 + " " + 1e-30 + " " + 1.5e-7 + "\n");
print(100000.0 + " " + 1000000.0 + " " + 999999.5 + " " + 0.0001 + " " + 0.00001 + "\n");
print((0.1 + 0.2) + " " + (0.1 * 3) + " " + (1.0 - 0.9) + " " + (16777216.0 + 1) + "\n");
print((-0.0) + " " + (0.0 * -1) + " " + (-1.0 / 3) + " " + (1 / 3.0) + "\n");
print((3 + 0.5) + " " + (3 * 1.5) + " " + (7 / 2.0) + " " + (7.0 / 2) + " " + (2 - 0.25) + "\n");
print(typeof (1 + 1.0) + " " + typeof (2 * 1) + " " + typeof 1e3 + " " + typeof 5. + "\n");
print((7.5 % 2) + " " + (-7.5 % 2) + " " + (7 % 2.5) + "\n");
print((1.0 / 0.0) + " " + (-1.0 / 0.0) + "\n");
print((1 == 1.0) + " " + (1 < 1.5) + " " + (2 > 1.5) + " " + (2.0 <= 2) + " " + (0.1 == 0.1) + " " + (3 <=> 2.5) + "\n");
// An integer operand is converted to float32 first.
print(format("%.1f %.1f", 16777217 + 1.0, 16777215 + 0.5) + "\n");
print((16777217 == 16777217.0) + " " + (16777216 == 16777217.0) + "\n");
// A float's tointeger() saturates on the imp (S2); the x86 reference gives -2147483648 for 1e10: hand-edited.
print((3.99).tointeger() + " " + (-3.99).tointeger() + " " + (0.5).tointeger() + " " + (1e10).tointeger() + " " + (-1e10).tointeger() + "\n");
print((5).tofloat() + " " + typeof (5).tofloat() + " " + (5).tostring() + " " + (2.5).tostring() + " " + typeof (2.5).tostring() + "\n");
print((65).tochar() + (97.9).tochar() + " " + typeof (65).tochar() + "\n");
print((true).tointeger() + " " + (false).tofloat() + " " + (true).tostring() + "\n");
print(-(2.5) + " " + (-2.5 * -2) + "\n");
local f = 1.5;
f += 1;
print(f + " ");
f *= 2;
print(f + " ");
f -= 0.5;
print(f + " ");
f /= 4;
print(f + " ");
f++;
print(f + "\n");
print((1e38 * 10) + " " + (-1e38 * 10) + " " + (1e-45 / 10) + "\n");
print(0.333333333333 + " " + 2.71828182845 + " " + 3.14159265358979 + "\n");
print(1e6 + " " + 1e7 + " " + 12345.678 + " " + 0.000123456 + " " + 1.0e-4 + "\n");
print((10.0 / 4).tointeger() + " " + (2.0 * 3).tointeger() + "\n");
local big = 2147483647.0;
print(big + " " + (big + 1) + " " + typeof big + "\n");
print((0.1 + 0.7) * 10 + " " + ((0.1 + 0.7) * 10).tointeger() + "\n");
print(format("%.10f", 0.1) + " " + format("%.10f", 1.0 / 3) + "\n");
