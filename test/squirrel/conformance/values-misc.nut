// S2 S3: assorted value behaviours: ++ on members and array slots, string ++, mixed keys, self-containing arrays.
class Foo { x = 1; }
local f = Foo();
function Foo::bar() { return "bar " + x; }
print(f.bar() + "\n");
local a = [1, 2, 3];
a[1] += 10; a[2]++;
print(a[1] + " " + a[2] + "\n");
local t = { n = 1.5 };
t.n++;
print(t.n + "\n");
local s = "a";
s++;
print(s + "\n");
local b = true;
try { b++; } catch (e) { print(e + "\n"); }
try { local u = null; u++; } catch (e) { print(e + "\n"); }
print((1 + 2.0 == 3) + " " + (typeof (1 + 2.0)) + "\n");
local x = 5;
x = -x;
print(x + " " + (-(-2147483647 - 1)) + "\n");
print("x" + 1 + 2 + " " + (1 + 2 + "x") + "\n");
local mixed = [1, "a", 2.5, null, true];
print(mixed.len() + " " + mixed[4] + "\n");
print(0x7FFFFFFF + 1 + " " + 07 + " " + 0x0 + "\n");
local tt = { [1] = "one", [1.0] = "onef", ["1"] = "ones", [true] = "t" };
print(tt.len() + " " + tt[1] + " " + tt[1.0] + " " + tt["1"] + " " + tt[true] + "\n");
local arr2 = [];
arr2.resize(3, 0);
arr2[0] = arr2;
print(arr2.len() + " " + arr2[0].len() + "\n");
print(typeof(@() null)() + "\n");
local str = "";
for (local i = 0; i < 3; i++) str += i;
print(str + "\n");
print((-7 / 2.0) + " " + (7.0 % -2) + " " + (-0.5).tointeger() + "\n");
print(1e-40 + " " + 3e38 * 2 + "\n");
local big = 123456789;
print(big * 1.0 + " " + (big * 1.0).tointeger() + "\n");
print((0.1).tofloat() + " " + (5).tofloat().tostring() + "\n");
