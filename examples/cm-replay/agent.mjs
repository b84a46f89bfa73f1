// Stores each reading once, in order, and acknowledges cumulatively: a
// replayed duplicate is acknowledged again and not stored twice.
export default function agent({ device, server }) {
  let stored = 0; // the highest id stored; ids arrive in order on one connection
  device.on("reading", (r) => {
    if (r.id === stored + 1) {
      stored = r.id;
      server.log(`reading ${r.id} taken at ${r.t}s: ${r.celsius} °C`);
    }
    device.send("ack", stored);
  });
}
