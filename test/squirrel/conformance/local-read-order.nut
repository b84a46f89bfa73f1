// S3: an operand that is a local of the running function is read when the operation runs, after the other
// operand is evaluated (Squirrel reads the local's stack register), so a change made meanwhile, by an
// assignment or through a closure, is seen; a local of an enclosing function is read in order.
// A compound assignment reads its target after the value, for locals and outers alike.
local a = 1;
print((a + (a = 5)) + " ");
a = 1;
local count = 0;
local function bump() { count++; return 100; }
print((count + bump()) + " " + (count * bump()) + " ");
a = 6;
print((a & (a = 3)) + " " + (a < (a = 1)) + " " + (a != (a = 1)) + " " + (a - a--) + "\n");
local s = "x";
print((s + (s = "y")) + " ");
s += (s = "z");
print(s + " ");
a = 0;
a += a++ + ++a;
print(a + " ");
a = 2;
a *= a++ + 1;
print(a + " ");
local arr = [1];
print(arr[(arr = [9], 0)] + " ");
foreach (v in [7]) print((v + (v = 1)) + "\n");
local outer = 1;
print((function() { return outer + (outer = 10); })() + " ");
outer = 1;
(function() { outer += (outer = 10); })();
print(outer + " ");
local b = 3, c = 4;
print((b + c + (b = 100)) + " " + (b + (b = 1) + b) + "\n");
local o = { v = 1 };
print((o.v + (o.v = 5)) + " ");
o.v += (o.v = 10);
print(o.v + "\n");
