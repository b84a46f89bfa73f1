import { describe, expect, it } from "vitest";
import { simulate } from "../support/simulate.js";
import type { Program } from "../support/simulate.js";

/**
 * The attempt the program starts at 20 s (or as soon as it runs) under
 * RETURN_ON_ERROR, after dropping whatever the boot connected.
 */
async function attemptAt20s(spec: Parameters<typeof simulate>[0], timeout = 60) {
  let calledAt = -1;
  const run = await simulate({ duration: "4m", ...spec }, (root) => {
    root.server.setsendtimeoutpolicy(root.RETURN_ON_ERROR as number, root.WAIT_TIL_SENT as number, 10);
    root.imp.wakeup(Math.max(0, 20 - root.time()), () => {
      root.server.disconnect();
      calledAt = root.hardware.millis();
      root.server.connect(() => {}, timeout);
    });
  });
  const attempt = run.of("attempt").find((a) => a.t - a.ms === calledAt);
  if (attempt === undefined) throw new Error(`no attempt started at ${calledAt} ms`);
  return { run, attempt };
}

describe("R10 an attempt walks its interface's layers in order", () => {
  it.each([
    ["wifi", {}, ["wifi", "ip", "dns", "tcp", "tls", "session"], 3380],
    ["ethernet", {}, ["link", "ip", "dns", "tcp", "tls", "session"], 1430],
    ["cell", {}, ["modem", "sim", "registration", "ppp", "internet", "dns", "tcp", "tls", "session"], 15880],
  ])("R10 a healthy %s attempt", async (iface, world, layers, ms) => {
    const run = await simulate({ duration: "1m", world, devices: [{ id: "dev", interfaces: [iface] }] });
    const a = run.of("attempt")[0]!;
    expect(a.layers.map((l) => l.layer)).toEqual(layers);
    expect(a).toMatchObject({ reasonName: "SERVER_CONNECTED", ms, t: ms });
    expect(a.layer).toBeUndefined();
  });

  const failures: [string, string, Record<string, unknown>, Record<string, unknown>, string, string, number][] = [
    ["wrong WiFi key", "wifi", { wifi: [{ ssid: "home", key: "other" }] }, { wifi: { ssid: "home", key: "secret" } }, "NO_WIFI", "wifi", 4000],
    ["no carrier", "ethernet", { ethernet: { link: false } }, {}, "NO_LINK", "link", 50],
    ["NXDOMAIN", "wifi", { dns: { ok: false } }, {}, "NOT_RESOLVED", "dns", 3050],
    ["a refused server", "wifi", { server: { up: false } }, {}, "NO_SERVER", "tcp", 3080],
    ["no modem", "cell", {}, { cell: { modem: false } }, "NO_MODEM", "modem", 1000],
    ["a missing SIM", "cell", {}, { cell: { sim: "missing" } }, "SIM_ERROR", "sim", 1500],
    ["a SIM error", "cell", {}, { cell: { sim: "error" } }, "SIM_ERROR", "sim", 1500],
    ["registration denied", "cell", { cell: { registration: "denied" } }, {}, "REGISTRATION_DENIED", "registration", 6500],
    ["no PPP", "cell", { cell: { ppp: false } }, {}, "NO_PPP_CONNECTION", "ppp", 14500],
  ];
  it.each(failures)("R10 %s fails with its layer's code after the layer's time", async (_n, iface, world, device, reasonName, layer, ms) => {
    const { attempt } = await attemptAt20s({ world, devices: [{ id: "dev", interfaces: [iface], ...device }] });
    expect(attempt).toMatchObject({ reasonName, layer, ms });
  });

  it.each([
    ["no cellular network", { cell: { registration: "none" } }, "NO_REGISTRATION", "registration"],
    ["no internet over PPP", { cell: { internet: false } }, "PPP_NO_CONNECTIVITY", "internet"],
  ])("R10 %s gets no answer and waits for the deadline", async (_n, world, reasonName, layer) => {
    const { attempt } = await attemptAt20s({ world, devices: [{ id: "dev", interfaces: ["cell"] }] }, 45);
    expect(attempt).toMatchObject({ reasonName, layer, ms: 45_000 });
  });

  it("R10 a layer reads the world when it starts: DNS mended during the WiFi join counts", async () => {
    const { attempt } = await attemptAt20s({ world: { dns: { ok: false } }, events: [{ at: "21s", set: { "world.dns.ok": true } }] });
    expect(attempt).toMatchObject({ reasonName: "SERVER_CONNECTED", ms: 3380 });
  });

  it("R10 a layer already passed is not re-read: the access point leaving after the join fails later layers only", async () => {
    const { attempt } = await attemptAt20s({ events: [{ at: "22500ms", set: { "world.server.up": false } }] });
    expect(attempt).toMatchObject({ reasonName: "NO_SERVER", layer: "tcp", ms: 3080 });
  });

  it("R10 nothing is cached between attempts, DNS answers included", async () => {
    const run = await simulate(
      { duration: "2m", events: [{ at: "30s", set: { "world.dns.ok": false } }] },
      (root) => {
        root.server.setsendtimeoutpolicy(root.RETURN_ON_ERROR as number, root.WAIT_TIL_SENT as number, 10);
        root.imp.wakeup(30, () => {
          root.server.disconnect();
          root.server.connect(() => {}, 30);
        });
      },
    );
    expect(run.of("attempt").map((a) => a.reasonName)).toEqual(["SERVER_CONNECTED", "NOT_RESOLVED"]);
  });
});

describe("R11 proxies", () => {
  const proxyWorld = { proxies: [{ host: "proxy.lan", port: 3128, user: "imp", password: "secret" }] };
  const device = (proxy: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ devices: [{ id: "dev", proxy, ...extra }] });

  it("R11 good credentials connect through the proxy", async () => {
    const { attempt } = await attemptAt20s({ world: proxyWorld, ...device({ host: "proxy.lan", port: 3128, user: "imp", password: "secret" }) });
    expect(attempt.layers.map((l) => l.layer)).toEqual(["wifi", "ip", "dns", "proxy", "tcp", "tls", "session"]);
    expect(attempt.reasonName).toBe("SERVER_CONNECTED");
  });

  it("R11 the proxy's host name not resolving is NOT_RESOLVED", async () => {
    const { attempt } = await attemptAt20s({ world: { ...proxyWorld, dns: { names: { "proxy.lan": false } } }, ...device({ host: "proxy.lan", port: 3128 }) });
    expect(attempt).toMatchObject({ reasonName: "NOT_RESOLVED", layer: "dns" });
  });

  it("R11 an unreachable proxy is NO_PROXY", async () => {
    const { attempt } = await attemptAt20s({ world: { proxies: [{ host: "proxy.lan", port: 3128, up: false }] }, ...device({ host: "proxy.lan", port: 3128 }) });
    expect(attempt).toMatchObject({ reasonName: "NO_PROXY", layer: "proxy", ms: 3070 });
  });

  it("R11 wrong credentials (401) and missing credentials (407) are NOT_AUTHORISED, with the status in the detail", async () => {
    const wrong = await attemptAt20s({ world: proxyWorld, ...device({ host: "proxy.lan", port: 3128, user: "imp", password: "nope" }) });
    const missing = await attemptAt20s({ world: proxyWorld, ...device({ host: "proxy.lan", port: 3128 }) });
    expect(wrong.attempt).toMatchObject({ reasonName: "NOT_AUTHORISED", layer: "proxy" });
    expect(wrong.attempt.detail).toContain("401");
    expect(missing.attempt).toMatchObject({ reasonName: "NOT_AUTHORISED", layer: "proxy" });
    expect(missing.attempt.detail).toContain("407");
  });

  it("R11 a proxy that cannot reach the server (5xx) is NO_SERVER", async () => {
    const { attempt } = await attemptAt20s({ world: { ...proxyWorld, server: { up: false } }, ...device({ host: "proxy.lan", port: 3128, user: "imp", password: "secret" }) });
    expect(attempt).toMatchObject({ reasonName: "NO_SERVER" });
    expect(attempt.detail).toMatch(/HTTP 5\d\d/);
  });

  it("R11 proxies apply to WiFi and Ethernet only: a cellular attempt ignores it", async () => {
    const { attempt } = await attemptAt20s({ world: { proxies: [] }, ...device({ host: "proxy.lan", port: 3128 }, { interfaces: ["cell"] }) });
    expect(attempt.reasonName).toBe("SERVER_CONNECTED");
    expect(attempt.layers.map((l) => l.layer)).not.toContain("proxy");
  });
});

describe("R12 failures after the server's port was reached", () => {
  it("R12 a server refusing the session is NO_SERVER, the cause in the detail", async () => {
    const { attempt } = await attemptAt20s({ world: { server: { accept: false } } });
    expect(attempt).toMatchObject({ reasonName: "NO_SERVER", layer: "session", ms: 3380 });
    expect(attempt.detail).toBeTruthy();
  });
});

describe("R15 the sticky-no-server quirk", () => {
  const program: Program = (root) => {
    root.server.setsendtimeoutpolicy(root.RETURN_ON_ERROR as number, root.WAIT_TIL_SENT as number, 10);
    const connect = () => root.server.connect(() => void root.imp.wakeup(10, connect), 30);
    root.imp.wakeup(Math.max(0, 20 - root.time()), connect);
  };
  const events = [
    { at: "30s", set: { "world.server.up": true, "world.dns.ok": false } },
    { at: "60s", set: { "world.dns.ok": true } },
  ];

  it("R15 with the quirk, failures after a NO_SERVER report NO_SERVER until a success", async () => {
    const run = await simulate({ duration: "2m", world: { server: { up: false } }, devices: [{ id: "dev", quirks: ["sticky-no-server"] }], events }, program);
    const reasons = run.of("callback").map((c) => c.reasonName);
    expect(reasons.slice(0, 3)).toEqual(["NO_SERVER", "NO_SERVER", "NO_SERVER"]); // the 2nd and 3rd are really NXDOMAIN
    expect(reasons).toContain("SERVER_CONNECTED");
  });

  it("R15 without it (the default), each failure reports its own cause", async () => {
    const run = await simulate({ duration: "2m", world: { server: { up: false } }, events }, program);
    expect(run.of("callback").map((c) => c.reasonName).slice(0, 2)).toEqual(["NO_SERVER", "NOT_RESOLVED"]);
  });

  it("R15 a success clears it", async () => {
    const run = await simulate(
      {
        duration: "3m",
        world: { server: { up: false } },
        devices: [{ id: "dev", quirks: ["sticky-no-server"] }],
        events: [
          { at: "25s", set: { "world.server.up": true } },
          { at: "40s", set: { "world.dns.ok": false } },
        ],
      },
      (root) => {
        root.server.setsendtimeoutpolicy(root.RETURN_ON_ERROR as number, root.WAIT_TIL_SENT as number, 10);
        root.imp.wakeup(20 - root.time(), () => root.server.connect(() => {}, 3.9));
        root.imp.wakeup(30 - root.time(), () => root.server.connect(() => {}, 30));
        root.imp.wakeup(45 - root.time(), () => {
          root.server.disconnect();
          root.server.connect(() => {}, 30);
        });
      },
    );
    expect(run.of("callback").map((c) => c.reasonName)).toEqual(["NO_SERVER", "SERVER_CONNECTED", "NOT_RESOLVED"]);
  });
});

describe("R34 every attempt leaves a diagnostic record", () => {
  it("R34 interface, each layer's start and duration, the failing layer, the raw cause and the code", async () => {
    const { attempt } = await attemptAt20s({ world: { server: { up: false } } });
    expect(attempt).toMatchObject({ interface: "wl0", interfaceType: "wifi", reason: 4, layer: "tcp", detail: "ECONNREFUSED" });
    expect(attempt.layers).toEqual([
      { layer: "wifi", start: 20_000, ms: 2000, ok: true },
      { layer: "ip", start: 22_000, ms: 1000, ok: true },
      { layer: "dns", start: 23_000, ms: 50, ok: true },
      { layer: "tcp", start: 23_050, ms: 30, ok: false },
    ]);
  });
});

describe("R37 impOS's own retries", () => {
  it("R37 attempts run back to back, each limited to the time left in the window, none instantaneous", async () => {
    const run = await simulate(
      { duration: "3m", events: [{ at: "30s", set: { "world.server.up": false } }] },
      ({ server, RETURN_ON_ERROR, WAIT_TIL_SENT }) => server.setsendtimeoutpolicy(RETURN_ON_ERROR as number, WAIT_TIL_SENT as number, 10),
    );
    const retries = run.of("attempt").filter((a) => a.t > 30_000);
    expect(retries.length).toBeGreaterThan(10);
    let start = 30_000;
    for (const a of retries) {
      expect(a.ms).toBeGreaterThan(0);
      expect(a.t - a.ms).toBe(start); // back to back
      start = a.t;
    }
    expect(retries.at(-1)!.t).toBe(90_000); // the last one is cut at the end of the 60 s window
  });
});
