// S4: getinfos() of Squirrel and native functions (a native's typecheck holds its typemask's type bits).
local f = function(a, b = 2) {};
local i = f.getinfos();
foreach (k in ["name", "src", "native", "varargs"]) print(k + "=" + (i[k] == null ? "null" : i[k]) + " ");
print("\n");
local l = @(x) x;
print(l.getinfos().name == null);
local n = print.getinfos();
print(" " + n.paramscheck + " " + typeof n.typecheck + " " + n.len() + " " + i.len() + "\n");
local t = "x".len.getinfos().typecheck; print(t.len() + " " + t[0] + "\n"); print(format.getinfos().typecheck[1] + " " + [].sort.getinfos().typecheck[1] + "\n");
