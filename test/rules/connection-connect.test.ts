import { describe, expect, it } from "vitest";
import { simulate } from "../support/simulate.js";
import type { Program } from "../support/simulate.js";

const HEALTHY_WIFI_MS = 3380; // join 2000 + dhcp 1000 + dns 50 + tcp 30 + tls 200 + session 100
const offline = { server: { up: false, failure: "blackhole" } };

/** A program that waits for the boot to finish offline, then runs `body` at t = 20 s. */
function at20s(body: Program): Program {
  return (root, host) => {
    root.imp.wakeup(20 - root.time(), () => body(root, host));
  };
}

describe("R04 connect under SUSPEND_ON_ERROR", () => {
  it("R04 resolves once connected, and a callback or timeout is ignored with a warning", async () => {
    const seen: number[] = [];
    const run = await simulate(
      { duration: "2m", events: [{ at: "30s", set: { "world.server.up": true } }], world: offline },
      async ({ server, hardware }) => {
        const called: unknown[] = [];
        // Typed void (the callback form is for RETURN_ON_ERROR), but under SUSPEND_ON_ERROR it blocks too.
        await (server.connect((r: number) => called.push(r), 5) as unknown as Promise<void>);
        seen.push(hardware.millis(), called.length);
      },
    );
    // up at 30 s; the attempt that starts after it succeeds after one healthy walk
    expect(seen[0]).toBeGreaterThan(30_000);
    expect(seen[1]).toBe(0);
    expect(run.of("warning")).toHaveLength(1);
    expect(run.of("callback")).toHaveLength(0);
  });

  it("R04 resolves at once when already connected", async () => {
    let resolvedAt = -1;
    const run = await simulate({ duration: "1m" }, async ({ server, hardware }) => {
      await server.connect();
      resolvedAt = hardware.millis();
    });
    expect(resolvedAt).toBe(HEALTHY_WIFI_MS);
    expect(run.of("attempt")).toHaveLength(1);
  });

  it("R04 suspends the program when it cannot connect, and the promise does not settle", async () => {
    let settled = false;
    const run = await simulate({ duration: "3m", world: offline }, async ({ server }) => {
      await server.connect();
      settled = true;
    });
    expect(settled).toBe(false);
    expect(run.of("suspend")).toHaveLength(1);
  });
});

describe("R05 connect under RETURN_ON_ERROR", () => {
  it("R05 returns at once and calls back on a later turn, never inside connect()", async () => {
    const order: string[] = [];
    const run = await simulate({ duration: "1m", world: offline }, at20s(({ server, RETURN_ON_ERROR, WAIT_TIL_SENT }) => {
      server.setsendtimeoutpolicy(RETURN_ON_ERROR as number, WAIT_TIL_SENT as number, 10);
      const ret = server.connect((r) => order.push(`callback ${r}`), 5);
      order.push(`returned ${String(ret)}`);
    }));
    expect(order).toEqual(["returned undefined", "callback 4"]);
    expect(run.of("callback")[0]!.t).toBe(25_000);
  });

  it("R05 a callback for an attempt that fails at once still runs on a later turn", async () => {
    const order: string[] = [];
    await simulate(
      { duration: "1m", devices: [{ id: "dev", interfaces: ["ethernet"] }], world: { ethernet: { link: false } } },
      at20s(({ server, RETURN_ON_ERROR, WAIT_TIL_SENT, NO_LINK }) => {
        server.setsendtimeoutpolicy(RETURN_ON_ERROR as number, WAIT_TIL_SENT as number, 10);
        server.connect((r) => order.push(r === NO_LINK ? "NO_LINK" : String(r)), 5);
        order.push("after connect");
      }),
    );
    expect(order).toEqual(["after connect", "NO_LINK"]);
  });
});

describe("R06 connect timeout", () => {
  const returning: Program = ({ server, RETURN_ON_ERROR, WAIT_TIL_SENT }) =>
    server.setsendtimeoutpolicy(RETURN_ON_ERROR as number, WAIT_TIL_SENT as number, 10);

  it("R06 defaults to 60 s", async () => {
    const run = await simulate({ duration: "3m", world: offline }, at20s((root) => {
      returning(root);
      root.server.connect(() => {});
    }));
    const cb = run.of("callback")[0]!;
    expect(cb.t).toBe(80_000);
    expect(cb.reasonName).toBe("NO_SERVER");
  });

  it.each([
    [42, 120_000],
    [40, 60_000],
  ])("R06 on a cellular interface, release %i defaults to %i ms", async (release, timeout) => {
    let calledAt = 0;
    const run = await simulate(
      { duration: "5m", devices: [{ id: "dev", interfaces: ["cell"], release }], world: { cell: { registration: "none" } } },
      (root) => {
        returning(root);
        calledAt = root.hardware.millis();
        root.server.connect(() => {});
      },
    );
    expect(calledAt).toBe(30_000); // R25: the cellular boot window
    expect(run.of("callback")[0]!.t).toBe(calledAt + timeout);
  });

  it("R06 accepts a float timeout in seconds", async () => {
    const run = await simulate({ duration: "1m", world: offline }, at20s((root) => {
      returning(root);
      root.server.connect(() => {}, 2.5);
    }));
    expect(run.of("callback")[0]!.t).toBe(22_500);
  });

  it.each([
    ["negative", -1],
    ["zero", 0],
    ["NaN", NaN],
    ["a string", "10"],
    ["Infinity", Infinity],
  ])("R06 a %s timeout throws, names the argument and starts nothing", async (_name, bad) => {
    const errors: { code?: string; argument?: string }[] = [];
    const run = await simulate({ duration: "1m", world: offline }, at20s((root) => {
      returning(root);
      try {
        root.server.connect(() => {}, bad as number);
      } catch (e) {
        errors.push(e as { code?: string; argument?: string });
      }
    }));
    expect(errors).toMatchObject([{ code: "IMPNET_INVALID_ARGUMENT", argument: "timeout" }]);
    expect(run.of("attempt").filter((a) => a.t > 20_000)).toHaveLength(0);
  });

  it("R06 a callback that is not a function throws and starts nothing", async () => {
    const errors: { code?: string; argument?: string }[] = [];
    const run = await simulate({ duration: "1m", world: offline }, at20s((root) => {
      returning(root);
      try {
        root.server.connect("cb" as never, 10);
      } catch (e) {
        errors.push(e as { code?: string; argument?: string });
      }
    }));
    expect(errors).toMatchObject([{ code: "IMPNET_INVALID_ARGUMENT", argument: "callback" }]);
    expect(run.of("attempt").filter((a) => a.t > 20_000)).toHaveLength(0);
  });

  it("R06 before release 30 a call without a timeout throws", async () => {
    const errors: { code?: string }[] = [];
    await simulate({ duration: "1m", world: offline, devices: [{ id: "dev", release: 28 }] }, at20s((root) => {
      returning(root);
      try {
        root.server.connect(() => {});
      } catch (e) {
        errors.push(e as { code?: string });
      }
    }));
    expect(errors).toMatchObject([{ code: "IMPNET_INVALID_STATE" }]);
  });
});

describe("R07 a timeout reports the layer in progress", () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ["no access point", { wifi: [{ ssid: "other", key: "x" }] }, "NO_WIFI", "wifi"],
    ["no DHCP server", { wifi: [{ ssid: "home", key: "secret", dhcp: false }] }, "NO_IP_ADDRESS", "ip"],
    ["an unanswered DNS query", { dns: { ok: false, failure: "timeout" } }, "NOT_RESOLVED", "dns"],
    ["a server that drops packets", { server: { up: false, failure: "blackhole" } }, "NO_SERVER", "tcp"],
  ];
  it.each(cases)("R07 %s", async (_name, world, reasonName, layer) => {
    const run = await simulate({ duration: "1m", world, devices: [{ id: "dev", wifi: { ssid: "home", key: "secret" } }] }, at20s(({ server, RETURN_ON_ERROR, WAIT_TIL_SENT }) => {
      server.setsendtimeoutpolicy(RETURN_ON_ERROR as number, WAIT_TIL_SENT as number, 10);
      server.connect(() => {}, 7);
    }));
    const attempt = run.of("attempt").find((a) => a.t > 20_000)!;
    expect(attempt).toMatchObject({ t: 27_000, reasonName, layer, ms: 7_000 });
    expect(run.of("callback")[0]).toMatchObject({ t: 27_000, reasonName });
  });
});

describe("R08 one callback slot", () => {
  it("R08 a second connect replaces the callback and starts no second attempt", async () => {
    const calls: string[] = [];
    const run = await simulate({ duration: "1m", world: offline }, at20s(({ server, RETURN_ON_ERROR, WAIT_TIL_SENT }) => {
      server.setsendtimeoutpolicy(RETURN_ON_ERROR as number, WAIT_TIL_SENT as number, 10);
      server.connect((r) => calls.push(`first ${r}`), 10);
      server.connect((r) => calls.push(`second ${r}`), 10);
    }));
    expect(calls).toEqual(["second 4"]);
    expect(run.of("attempt").filter((a) => a.t > 20_000)).toHaveLength(1);
  });

  it("R08 whichever deadline comes first applies", async () => {
    const run = await simulate({ duration: "1m", world: offline }, at20s(({ server, imp, RETURN_ON_ERROR, WAIT_TIL_SENT }) => {
      server.setsendtimeoutpolicy(RETURN_ON_ERROR as number, WAIT_TIL_SENT as number, 10);
      server.connect(() => {}, 10); // deadline 30 s
      imp.wakeup(1, () => server.connect(() => {}, 3)); // deadline 24 s: earlier, applies
      imp.wakeup(2, () => server.connect(() => {}, 30)); // deadline 52 s: later, ignored
    }));
    expect(run.of("callback").map((c) => c.t)).toEqual([24_000]);
  });

  it("R08 the outcome goes once to the most recent callback, on success too", async () => {
    const calls: string[] = [];
    await simulate({ duration: "1m", world: offline, events: [{ at: "21s", set: { "world.server.up": true } }] }, at20s(({ server, imp, RETURN_ON_ERROR, WAIT_TIL_SENT }) => {
      server.setsendtimeoutpolicy(RETURN_ON_ERROR as number, WAIT_TIL_SENT as number, 10);
      server.connect((r) => calls.push(`a ${r}`), 30);
      imp.wakeup(0.5, () => server.connect((r) => calls.push(`b ${r}`), 30));
    }));
    expect(calls).toEqual(["b 5"]);
  });
});

describe("R09 connect while connected", () => {
  it("R09 starts nothing and never runs the callback", async () => {
    const calls: number[] = [];
    const run = await simulate({ duration: "1m" }, ({ server, RETURN_ON_ERROR, WAIT_TIL_SENT }) => {
      server.setsendtimeoutpolicy(RETURN_ON_ERROR as number, WAIT_TIL_SENT as number, 10);
      server.connect((r) => calls.push(r), 10);
    });
    expect(calls).toEqual([]);
    expect(run.of("attempt")).toHaveLength(1); // the boot's
  });
});
