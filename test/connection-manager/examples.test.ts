import { describe, expect, it } from "vitest";
import { runExample } from "../support/run-example.js";

describe("examples/cm-replay", () => {
  it("readings taken during the outage stay in nv and are replayed in order after reconnecting; the agent stores every reading exactly once", async () => {
    const { sim, of } = await runExample("cm-replay");
    expect(of("error")).toEqual([]);
    const stored = of("log").filter((l) => l.agent === true);
    // One reading a minute from 3.38 s for 20 minutes, each stored once, in order.
    expect(stored.map((l) => l.text.split(" taken")[0])).toEqual(Array.from({ length: 20 }, (_, i) => `reading ${i + 1}`));

    // The server refuses from 5m30s to 12m; the manager is back after its backoff.
    const back = of("connected").at(-1)!.t;
    expect(of("connected").map((c) => c.t)).toEqual([3380, back]);
    expect(back).toBeGreaterThan(720_000);
    expect(back).toBeLessThanOrEqual(720_000 + 60_000 + 3380); // at most maxDelay after the server returns, plus one attempt

    // Readings 7 (6m03s) to 13 (12m03s) were taken offline and all reach the agent at the reconnection.
    const replayed = stored.filter((l) => l.t === back).map((l) => l.text);
    expect(replayed).toEqual([
      "reading 7 taken at 363s: 20 °C",
      "reading 8 taken at 423s: 20.5 °C",
      "reading 9 taken at 483s: 21 °C",
      "reading 10 taken at 543s: 21.5 °C",
      "reading 11 taken at 603s: 22 °C",
      "reading 12 taken at 663s: 22.5 °C",
      "reading 13 taken at 723s: 23 °C",
    ]);
    // The device's own lines: the one logged offline comes back with its time stamp (the
    // watchdog's check at 333.38 s saw the loss), before the handler's line.
    expect(of("log").filter((l) => l.agent !== true).map((l) => [l.t, l.text])).toEqual([
      [back, "333 - offline (lost); readings kept in nv"],
      [back, "replaying 7 readings"],
    ]);

    // Backoff, not a retry every 3 s: few attempts in the 6.5 minutes the server was down.
    const during = of("attempt").filter((a) => a.t > 330_000 && a.t <= back);
    expect(during.length).toBeLessThan(20);

    // Everything acknowledged: nothing left in nv.
    expect(sim.devices[0]!.nv).toMatchObject({ unsent: [], nextId: 21 });
  });
});
