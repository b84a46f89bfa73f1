// S2: strings are byte strings: len() counts bytes, s[i] is an unsigned byte, literals in UTF-8 are their bytes.
// The reference's x86 chars are signed (s[i] of "\xff" gives -1); the imp's are unsigned 0-255 (S2): hand-edited.
local s = "héllo";
print(s.len() + " " + s[1] + " " + s[2] + " " + s[0] + "\n");
local e = "€";
print(e.len() + " " + e[0] + " " + e[1] + " " + e[2] + "\n");
print("a\tb\\c\"d\'e".len() + " " + "\x41\x42" + " " + "\x7a".len() + " " + "a\0b".len() + " " + "a\0b"[1] + "\n");
print("\a\b\f\v\r".len() + " " + "\r"[0] + " " + "\v"[0] + " " + "\xff"[0] + " " + "\x0041"[0] + "\n");
local v = @"a ""quoted"" \n word";
print(v + " " + v.len() + "\n");
print(@"multi
line".len() + "\n");
print('A' + " " + 'z' + " " + '\n' + " " + '\'' + " " + '\\' + " " + '\x41' + " " + typeof 'A' + "\n");
local w = "Hello, World";
print(w.slice(0, 5) + "|" + w.slice(7) + "|" + w.slice(-5) + "|" + w.slice(-5, -1) + "|" + w.slice(3, 3) + "|\n");
print(w.find("o") + " " + w.find("o", 5) + " " + (w.find("xyz") == null) + " " + w.find("") + " " + w.find("World", 7) + "\n");
print(w.tolower() + " " + w.toupper() + " " + "ÀB".tolower() + "\n");
print("123".tointeger() + " " + "-45".tointeger() + " " + "3.5".tofloat() + " " + "12abc".tointeger() + " " + typeof "2".tofloat() + "\n");
print(" 42".tointeger() + " " + "1e3".tofloat() + " " + "0x1F".tointeger() + "\n");
print("abc".tostring() + " " + ("a" + 1) + " " + (1 + "a") + " " + ("a" + 1.5) + " " + ("a" + null).slice(0, 8) + " " + ("a" + true) + "\n");
print(("x" + [1]).slice(0, 8) + " " + ("x" + {}).slice(0, 8) + " " + ("" + print).slice(0, 11) + "\n");
print(("abc" < "abd") + " " + ("abc" == "abc") + " " + ("b" > "abc") + " " + ("" < "a") + " " + ("abc" <=> "abd") + "\n");
print(("Z" < "a") + " " + ("\xff" > "a") + "\n");
local sum = 0;
foreach (i, c in "abc") sum += i * 1000 + c;
print(sum + "\n");
foreach (c in "é") print(c + " ");
print("\n");
try { print(w[100]); } catch (ex) { print("caught: " + ex + "\n"); }
try { print(w.slice(5, 2)); } catch (ex) { print("caught: " + ex + "\n"); }
try { print(w.slice(0, 100)); } catch (ex) { print("caught: " + ex + "\n"); }
try { w[0] = 65; } catch (ex) { print("caught: " + ex + "\n"); }
try { print("abc" - 1); } catch (ex) { print("caught: " + ex + "\n"); }
try { print("abc".foo); } catch (ex) { print("caught: " + ex + "\n"); }
try { print("abc".tointeger()); } catch (ex) { print("caught: " + ex + "\n"); }
print(("a" in "abc") + " " + (1 in "abc") + " " + (5 in "abc") + "\n");
print("abc"[-1 + 1] + " " + "abc".len() + "" + "\n");
