// S7: a char literal holds exactly one char: more is "constant too long" (the reference's text; the column
// is the literal's first character).
print('a' + " " + '\x41' + "\n");
local c = 'ab';
