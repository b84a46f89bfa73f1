// S3 S7: only a digit starts a number: ".5" is not an expression in Squirrel.
local x = .5;
