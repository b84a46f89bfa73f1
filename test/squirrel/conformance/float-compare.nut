// S2: float equality and ordering as Squirrel does them: two floats are equal when their bits are (IsEqual
// compares raw values: 0.0 != -0.0, a NaN equals itself), an integer and a float compare by value, and in
// ordering anything that is not equal and not less counts as greater.
local z = 0.0, nz = -0.0;
print((z == nz) + " " + (z <= nz) + " " + (z >= nz) + " " + (z <=> nz) + " " + (nz <=> z) + " " + (nz < z) + " " + (nz > z) + "\n");
print((0 == nz) + " " + (nz == 0) + " " + (z == 0) + " " + (0 <=> nz) + " " + (nz <=> 0) + "\n");
local n = 0.0 / 0.0;
print((n == n) + " " + (n != n) + " " + (n < 1) + " " + (n > 1) + " " + (n <=> 1) + " " + (1 <=> n) + " " + (n <= n) + " " + (n == 1) + "\n");
switch (nz) { case 0.0: print("case 0.0\n"); break; case 0: print("case 0\n"); break; default: print("default\n"); }
local t = {};
t[z] <- "zero";
t[nz] <- "negative zero";
print(t.len() + " " + t[0.0] + " " + t[-0.0] + "\n");
print((1.5 == 1.5) + " " + (0.1 + 0.2 == 0.3) + " " + (0.5 + 0.25 == 0.75) + " " + (2 == 2.0) + " " + (3 <=> 2.5) + "\n");
local a = [3.0, -0.0, 0.0, 1, -1.5];
a.sort();
foreach (v in a) print(v + " ");
print("\n");
print([1.0, 2.0].find(2) + " " + ([0.0].find(-0.0) == null) + " " + [0].find(-0.0) + "\n");
