import fc from "fast-check";

/** A random change to the simulated world at a random second (property tests of whole devices). */
export const worldChange = fc.record({
  at: fc.integer({ min: 1, max: 600 }),
  set: fc.oneof(
    fc.constant({ "world.server.up": true }),
    fc.constant({ "world.server": { up: false, failure: "refuse" } }),
    fc.constant({ "world.server": { up: false, failure: "blackhole" } }),
    fc.constant({ "world.wifi": [] }),
    fc.constant({ "world.wifi": [{ ssid: "home", key: "secret" }] }),
    fc.constant({ "world.dns.ok": false }),
    fc.constant({ "world.dns.ok": true }),
    fc.constant({ "world.ethernet.link": false }),
    fc.constant({ "world.ethernet.link": true }),
  ),
});
