// S3 S7: a switch takes `break` but not `continue`: outside any loop, a continue in a switch does not
// compile (the reference's text; the column is the keyword's first character).
print("never printed\n");
switch (1) {
  case 1:
    continue;
}
