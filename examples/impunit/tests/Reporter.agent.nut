local count = 0;
device.on("reading", function(r) {
  count++;
  device.send("count", count);
});
