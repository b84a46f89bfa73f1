// S2: closures capture outer locals by reference; a for loop's variable is shared by its closures
local fns = [];
for (local i = 0; i < 3; i++) fns.append(function() { return i; });
foreach (f in fns) print(f() + " ");
print("\n");
local gs = [];
foreach (i, v in [10, 20, 30]) { local w = v; gs.append(@() w); }
foreach (g in gs) print(g() + " ");
print("\n");
local counter = 0;
local inc = function() { counter++; return counter; };
inc(); inc();
print(counter + "\n");
