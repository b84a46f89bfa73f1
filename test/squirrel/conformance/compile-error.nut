// S7: a program that does not compile runs nothing: one error, FILE:LINE:COLUMN: message (the reference text;
// the column is the offending token's first character, where the reference gives its lexer's position after it).
print("never printed\n");
enum Color { RED, GREEN }
local c = Color.PURPLE;
