// S3 S7: `break` belongs in a loop or a switch, and a function is a new start: a break in a function
// inside a loop does not compile (the reference's text; the column is the keyword's first character).
print("never printed\n");
while (true) {
  local f = function() {
    break;
  };
}
