// S4: Squirrel 3.1 additions are not on the imp. The reference (3.1) has some of them, so the lines that call them
// are hand-edited to what imp code sees: "the index '…' does not exist" or the wrong parameter count.
local function try_(name, f) { try { print(name + ": " + f() + "\n"); } catch (e) { print(name + ": " + e + "\n"); } }
try_("tointeger(16)", @() "ff".tointeger(16));
try_("keys", @() {a = 1}.keys());
try_("values", @() {a = 1}.values());
try_("table filter", @() {a = 1}.filter(@(k, v) true));
try_("startswith", @() "abc".startswith("a"));
try_("endswith", @() "abc".endswith("c"));
try_("getroot", @() (@() 1).getroot());
try_("setroot", @() (@() 1).setroot({}));
try_("tolower range", @() "ABC".tolower(0, 1));
try_("print", @() typeof print);
try_("tointeger", @() "12".tointeger());
