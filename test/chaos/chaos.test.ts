import { describe, expect, it } from "vitest";
import { runChaos } from "./chaos-run.js";

/**
 * The broker and the agent host restarted under connected devices (the CI
 * size; `npm run chaos` runs 1,000 devices, RELIABILITY.md). Real sockets and
 * real time: counts are asserted, timings only against the policy's bound.
 */
describe.each(["embedded", "mosquitto"] as const)("chaos on the cloud (%s broker)", (broker) => {
  it("R23 R33 every device comes back by itself, and every message the broker acknowledged reaches its agent", { timeout: 120_000 }, async () => {
    const devices = 25;
    const r = await runChaos({
      broker,
      devices,
      seed: 3,
      sendEveryMs: 300,
      runMs: 12_000,
      settleMs: 20_000,
      restarts: [
        { atMs: 2000, what: "agent-host", downMs: 1500 },
        { atMs: 5000, what: "broker", downMs: 1500 },
        { atMs: 9000, what: "both", downMs: 1000 },
      ],
    });
    expect(r.losses).toBeGreaterThanOrEqual(2 * devices); // each broker restart dropped every device
    expect(r.allBack).toBe(true);
    // RETURN_ON_ERROR: impOS reconnects silently (R23), one attempt a second: back within seconds, no callback.
    expect(r.slowestBackMs).toBeLessThan(10_000);
    expect(r.callbacks).toBe(0);
    expect(r.messages.sent).toBeGreaterThan(devices * 10);
    expect(r.messages.pending).toBe(0);
    expect(r.messages.ackedButLost).toBe(0);
    expect(r.messages.duplicates).toBeGreaterThanOrEqual(0); // counted and reported, not forbidden (QoS 1 is at least once)
  });
});
