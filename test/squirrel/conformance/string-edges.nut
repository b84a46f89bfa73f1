// S4: string slice and find at the edges, and tointeger/tofloat on odd strings (C's strtol/strtod
// prefixes). The imp's 32-bit strtol saturates ("99999999999" is 2147483647), so no out-of-range text here.
// tolower/toupper take no arguments in 3.0.4 (3.1 added a slice range, so the reference prints "abc"): hand-edited.
local function t(f) { try { print(f() + "|"); } catch (e) { print("caught: " + e + "|"); } }
t(@() "abc".slice(-1)); t(@() "abc".slice(-3)); t(@() "abc".slice(1, -1)); t(@() "abc".slice(3));
t(@() "abc".slice(4)); t(@() "abc".slice(0, -4)); t(@() "abc".slice(1.5)); t(@() "abc".slice());
print("\n");
t(@() "hello".find("l", 3)); t(@() "hello".find("l", 4) == null); t(@() "hello".find("l", 10) == null);
t(@() "hello".find("", 5) == null); t(@() "abcabc".find("c", 3));
print("\n");
t(@() "  12".tointeger()); t(@() "12  ".tointeger()); t(@() "+7".tointeger()); t(@() "-0".tointeger());
t(@() "0x1F".tofloat()); t(@() "1e3".tointeger()); t(@() "3.7".tointeger()); t(@() "-3.7".tointeger());
t(@() ".5".tofloat()); t(@() "5.".tofloat()); t(@() "017".tointeger()); t(@() "0b11".tointeger());
t(@() "12.5abc".tofloat()); t(@() "".tointeger()); t(@() "inf".tofloat()); t(@() "abc".tofloat());
print("\n");
t(@() "MiXeD 123".toupper() + "MiXeD".tolower()); t(@() "abc".tolower(1)); t(@() "abc".find());
print("\n");
