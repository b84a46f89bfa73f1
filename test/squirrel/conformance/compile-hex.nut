// S2 S7: a hex literal has at most 8 digits (an SQInteger's 32 bits): more is a compile error (the reference's text;
// the column is the literal's first character).
local a = 0x7fffffff;
local b = 0x100000000;
