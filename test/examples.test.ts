import { describe, expect, it } from "vitest";
import { runExample } from "./support/run-example.js";

describe("S1 each example's Squirrel program and its JavaScript twin give the same timeline", () => {
  it.each(["demo", "e1-change-wifi", "e2-connect-wrapper", "e3-proximate-calls"])("S1 %s", async (dir) => {
    const nut = await runExample(dir);
    const js = await runExample(dir, "scenario-js.yaml");
    expect(nut.events.length).toBeGreaterThan(3);
    expect(nut.events).toEqual(js.events);
  });
});

describe("the reference page's examples (in Squirrel)", () => {
  it("E1 walks the networks until one connects, sleeps when all fail, and starts again after an unexpected disconnect", async () => {
    const { sim, of } = await runExample("e1-change-wifi");
    const callbacks = of("callback").map((c) => [c.t, c.api, c.reasonName]);
    expect(callbacks.slice(0, 3)).toEqual([
      [40_000, "connect", "NO_WIFI"], // home: not in range, 30 s
      [70_000, "connect", "NO_WIFI"], // cafe
      [73_380, "connect", "SERVER_CONNECTED"], // office
    ]);
    expect(of("log").map((l) => l.text)).toEqual(["online via office", "online via office"]);
    // 10m: office gone → silent recovery for 60 s → the handler restarts the walk → all fail → sleep 2 min
    expect(callbacks.slice(3, 7)).toEqual([
      [660_000, "onunexpecteddisconnect", "NO_WIFI"],
      [690_000, "connect", "NO_WIFI"],
      [720_000, "connect", "NO_WIFI"],
      [750_000, "connect", "NO_WIFI"],
    ]);
    expect(of("sleep").map((s) => [s.t, s.seconds])).toEqual([[750_000, 120]]);
    expect(of("boot").map((b) => [b.t, b.cause])).toEqual([
      [10_000, "cold"],
      [870_000, "wake"],
    ]);
    expect(of("connected").at(-1)!.t).toBeGreaterThan(900_000); // back once office returns at 15m
    expect(sim.devices[0]!.model.wifi).toEqual({ ssid: "office", key: "office-key" });
  });

  it("E2 the wrapper's callback always runs, also when already connected", async () => {
    const { of } = await runExample("e2-connect-wrapper");
    // one outcome per 30 s report from 3.38 s to 4:33: connected, or the failure while the server is away
    const js = await runExample("e2-connect-wrapper", "scenario-js.yaml");
    expect(js.sim.devices[0]!.nv.outcomes).toEqual([5, 5, 4, 4, 4, 4, 5, 5, 5, 5]);
    expect(of("log").map((l) => l.text)).toEqual(Array(6).fill("connect → 5"));
    // while connected the wrapper, not server.connect, answers: no connect callback line
    expect(of("callback").filter((c) => c.reasonName === "SERVER_CONNECTED")).toHaveLength(1);
  });

  it("E3 two close triggers each run their action once when connected, then the device disconnects; queued callers all hear the outcome", async () => {
    const { of } = await runExample("e3-proximate-calls");
    const logs = of("log").map((l) => [l.t, l.text]);
    expect(logs).toEqual([
      [16_760, "door opened"],
      [16_760, "motion seen"],
      [66_760, "first caller: 5"],
      [66_760, "second caller: 5"],
    ]);
    expect(of("disconnected").map((d) => [d.t, d.expected])).toEqual([
      [3380, true],
      [16_760, true],
    ]);
  });
});

describe("examples/keeper-replay (a ConnectionManager-style Squirrel program of our own)", () => {
  it("S1 S5 readings taken during the outage stay in nv and are replayed in order; the offline line comes back time-stamped", async () => {
    const { of } = await runExample("keeper-replay");
    expect(of("error")).toEqual([]);
    const stored = of("log").filter((l) => l.text.startsWith("reading "));
    expect(stored.map((l) => l.text.split(" taken")[0])).toEqual(Array.from({ length: 20 }, (_, i) => `reading ${i + 1}`));
    const back = of("connected").at(-1)!.t;
    expect(of("connected").map((c) => c.t)).toEqual([3380, back]);
    expect(back).toBeGreaterThan(720_000);
    expect(back).toBeLessThanOrEqual(720_000 + 60_000 + 3380); // at most the capped delay after the server returns, plus one attempt
    expect(stored.filter((l) => l.t === back).map((l) => l.text.split(" taken")[0])).toEqual([7, 8, 9, 10, 11, 12, 13].map((n) => `reading ${n}`));
    const own = of("log").filter((l) => !l.text.startsWith("reading ")).map((l) => l.text);
    expect(own).toEqual([expect.stringMatching(/^\d+ - offline \(lost\); readings kept in nv$/), "replaying 7 readings"]);
    // Backoff, not a retry every 3 s (about 130 attempts in the 6.5 minutes): a third of that or fewer.
    expect(of("attempt").filter((a) => a.t > 330_000 && a.t < 720_000).length).toBeLessThan(45);
  });
});

describe("examples/cm-library (Electric Imp's ConnectionManager, the user's copy through --libs)", () => {
  it("S6 without the library it is one clear error naming the library, its version and where it was looked for", async () => {
    await expect(runExample("cm-library")).rejects.toThrow(/ConnectionManager\.lib\.nut version 3\.1\.1 not found: no library folders given \(--libs DIR, a scenario's libs, IMPNET_LIBS\)/);
  });
});
