// S3 S7: an exponent needs a digit ("exponent expected", at the character after the e), as in Squirrel.
local ok = 1e3;
local bad = 1.5e;
