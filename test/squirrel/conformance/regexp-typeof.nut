// S4: the regexp class is sqstdlib's, which declares _typeof: typeof of a regexp (or of an instance of a subclass) is "regexp".
local r = regexp("a+");
print(typeof r + " " + (r instanceof regexp) + " " + r.match("aa") + " " + typeof regexp + "\n");
class R2 extends regexp {}
print(typeof R2("b") + " " + typeof blob(1) + "\n");
