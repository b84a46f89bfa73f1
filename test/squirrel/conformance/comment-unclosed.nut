// S7: a /* comment never closed does not compile (the reference's text). It is reported where it opens,
// where the reference reports its lexer's position at the end of the file.
print("never printed\n");
local a = 1; /* opened here,
and never closed
