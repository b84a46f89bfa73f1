// Stores each reading once, in order, and acknowledges cumulatively: a
// replayed duplicate is acknowledged again and not stored twice.
local stored = 0;   // the highest id stored; ids arrive in order on one connection
device.on("reading", function(r) {
  if (r.id == stored + 1) {
    stored = r.id;
    server.log(format("reading %d taken at %ds: %.1f °C", r.id, r.t, r.celsius));
  }
  device.send("ack", stored);
});
