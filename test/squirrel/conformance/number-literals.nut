// S3: number literals as Squirrel's lexer reads them: after the first digit it takes every '.', digit and
// exponent, and converts the longest number at the start, so "1.e2" is 100 and "1.2.3" is 1.2 (the rest
// is dropped); "1." is a float; a 0 followed by an octal digit is octal, while "08" and "09.5" are decimal.
print(1.e2 + " " + 1e2 + " " + 1E-2 + " " + 2.5e+1 + " " + typeof 1e2 + " " + 1.2.3 + "\n");
local x = 1.;
print(x + " " + typeof x + " " + typeof 1. + "\n");
print(012 + " " + 08 + " " + 09 + " " + 09.5 + " " + 0 + " " + 00 + " " + 0.25 + " " + 0.1e1.5 + "\n");
print(0x10.tostring() + " " + 99999999999 + " " + 1e40 + "\n");
// "1.5.tostring()" is the float 1.5 then the name tostring: a second argument of print, as `f(a b)` is `f(a, b)`.
try { print(1.5.tostring()); } catch (e) { print("caught: " + e + "\n"); }
