// S8 is measured, not asserted (bench:squirrel). What a test can pin is that
// the measurement is like for like: the Squirrel program of the throughput
// workload does exactly what its JavaScript twin does.
import { describe, expect, it } from "vitest";
import { runOnce } from "../../bench/sim-workload.js";

describe("S8 the speed workload compares like for like", () => {
  it("S8 the Squirrel and JavaScript device programs of bench:squirrel give the same counts", async () => {
    const js = await runOnce(20, "js", { gc: false, bare: false });
    const nut = await runOnce(20, "squirrel", { gc: false, bare: false });
    expect(js.attempts).toBeGreaterThan(0);
    expect(js.logs).toBeGreaterThan(0);
    for (const k of ["events", "attempts", "logs", "connected", "disconnected", "callbacks", "errors"] as const) expect(nut[k], k).toBe(js[k]);
  });
});
