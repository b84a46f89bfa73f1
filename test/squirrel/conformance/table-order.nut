// S2: table iteration follows Squirrel 3.0.4's scatter table and string hash (the imp's order). The reference
// binary hashes strings differently, so this file's expected output was derived by hand from the spec's rules
// (hash, main position, free-node cursor, rehash on a full table, delete, clone) with an independent model.
local function keys(t) { local s = ""; foreach (k, v in t) s += k + " "; return s; }
local lit = { temperature = 1, humidity = 2, pressure = 3, battery = 4, status = "ok" };
print(keys(lit) + "\n");
local t = {};
foreach (k in ["id", "time", "value", "rssi", "voltage", "current", "power", "count", "name", "type"]) {
  t[k] <- 0;
  if (t.len() % 3 == 0) print(keys(t) + "\n");
}
print(keys(t) + "\n");
delete t.time;
delete t.rssi;
delete t.power;
print(keys(t) + "\n");
t.extra <- 1;
print(keys(t) + "\n");
foreach (k in ["id", "value", "voltage", "current", "count", "name", "type"]) delete t[k];
print(keys(t) + "\n");
local c = clone lit;
c.newkey <- 1;
print(keys(c) + "\n");
local mixed = {};
foreach (k in [1, "one", 2, "two", 17, "seventeen", 33, 1.5, -4]) mixed[k] <- k;
print(keys(mixed) + "\n");
local long = {};
long["a_key_that_is_longer_than_thirty_two_bytes_1"] <- 1;
long["a_key_that_is_longer_than_thirty_two_bytes_2"] <- 2;
long["short"] <- 3;
long["i1"] <- 4;
long["i2"] <- 5;
print(keys(long) + "\n");
local cleared = { a = 1, b = 2, c = 3, d = 4, e = 5 };
cleared.clear();
cleared.z <- 1; cleared.y <- 2; cleared.x <- 3;
print(keys(cleared) + "\n");
