// S3: booleans became constants in Squirrel 3.1 ("now boolean can be used in constants"); 3.0.4, the imp's
// dialect, refuses them. The 3.1 reference accepts this file: the expected output is 3.0.4's compile error.
const ON = true;
print(ON);
