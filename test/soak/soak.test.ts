import { describe, expect, it } from "vitest";
import { runSoak } from "./soak-run.js";

/**
 * The short soak CI runs (the long one: `npm run soak`, RELIABILITY.md). Real
 * sockets and real time, so it asserts counts, never timings.
 */
describe("soak: connect / send / disconnect through a faulty network", () => {
  it("R08 R24 R33 every connect gets exactly one callback, no acknowledged message is lost, nothing leaks", { timeout: 120_000 }, async () => {
    const r = await runSoak({
      devices: 8,
      rounds: 25,
      seed: 7,
      messages: 3,
      rates: { reset: 0.1, stall: 0.08, slow: 0.1, "half-open": 0.05 },
      retryFloorMs: 100,
      connectTimeoutS: 2,
      sendTimeoutS: 1,
    });
    expect(r.connects).toBe(200);
    expect(r.callbacks).toBe(200);
    expect(r.missingCallbacks).toBe(0);
    expect(r.extraCallbacks).toBe(0);
    // The faults happened, and cost something: the soak is not a healthy run in disguise.
    for (const kind of ["reset", "stall", "slow", "half-open"] as const) expect(r.faults.byKind[kind], kind).toBeGreaterThan(0);
    expect(r.messages.failed + (r.connects - (r.outcomes.SERVER_CONNECTED ?? 0))).toBeGreaterThan(0);
    expect(r.messages.acked).toBeGreaterThan(r.messages.sent / 2);
    expect(r.messages.pending).toBe(0);
    expect(r.messages.ackedButLost).toBe(0);
    expect(r.faults.open).toBe(0);
    expect(r.resources.leaked).toEqual({});
    expect(r.listeners.after).toBe(r.listeners.before);
    expect(r.children.after).toBe(r.children.before);
  });
});
