// S7: an empty char literal is "empty constant" (the reference's text; the column is the literal's first character).
local c = '';
