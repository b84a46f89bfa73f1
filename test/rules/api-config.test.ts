import { describe, expect, it } from "vitest";
import type { NetInfo } from "../../src/device/api/net.js";
import { formatHuman } from "../../src/timeline/human.js";
import { toJsonLine } from "../../src/timeline/json.js";
import { at, bench, caught, expectRejected, HEALTHY_WIFI_MS, returning, snapshot } from "./api-support.js";

const PROXY = { host: "proxy.lan", port: 3128 };

describe("R28 imp.setwificonfiguration", () => {
  it("R28 does not drop the current connection; the next connection uses it", async () => {
    const seen: [string, unknown, number][] = [];
    const b = await bench({ duration: "1m" }, (root, device) =>
      at(20, () => {
        returning(root);
        root.imp.setwificonfiguration("home", "wrong");
        seen.push(["after set", root.server.isconnected(), device.clock.now()]);
        root.server.disconnect();
        void root.server.connect((r) => seen.push(["connect", r, device.clock.now()]), 30);
      })(root, device),
    );
    expect(seen).toEqual([
      ["after set", true, 20_000],
      ["connect", b.root.NO_WIFI, 24_000], // the stored wrong key is refused after 4 s
    ]);
    expect(b.of("disconnected")).toMatchObject([{ t: 20_000, expected: true }]);
    expect(b.device.model.wifi).toEqual({ ssid: "home", key: "wrong" });
  });

  it("R28 a new network is joined from the next connection", async () => {
    const seen: number[] = [];
    const b = await bench(
      {
        duration: "1m",
        world: { wifi: [{ ssid: "home", key: "secret" }, { ssid: "guest", key: "guestkey" }] },
        // only a connection on "guest" is lost when it goes
        events: [{ at: "40s", set: { "world.wifi": [{ ssid: "home", key: "secret" }] } }],
      },
      at(20, (root) => {
        returning(root);
        root.imp.setwificonfiguration("guest", "guestkey");
        root.server.disconnect();
        void root.server.connect((r) => seen.push(r), 30);
      }),
    );
    expect(seen).toEqual([b.root.SERVER_CONNECTED]);
    expect(b.of("disconnected").filter((d) => !d.expected)).toMatchObject([{ t: 40_000, reason: 1 }]);
  });

  it("R28 the stored network survives deep sleep and a restart after an error", async () => {
    const ssids: (string | undefined)[] = [];
    const b = await bench({ duration: "1m" }, (root) => {
      ssids.push(root.imp.net!.info().interface[0]!.ssid);
      if (root.nv.step === undefined) {
        root.nv.step = 1;
        root.imp.setwificonfiguration("second", "k2");
        root.imp.deepsleepfor(1);
      } else if (root.nv.step === 1) {
        root.nv.step = 2;
        root.imp.setwificonfiguration("third", "k3");
        throw new Error("restart me");
      }
    });
    expect(b.of("boot").map((l) => l.cause)).toEqual(["cold", "wake", "error"]);
    expect(ssids).toEqual(["home", "second", "third"]);
    expect(b.device.model.wifi).toEqual({ ssid: "third", key: "k3" });
  });
});

describe("R29 imp.setproxy", () => {
  const long = (n: number) => "x".repeat(n);

  it("R29 accepts the limits: address 64, port 0 and 65535, user and password 32, both optional", async () => {
    const b = await bench({ duration: "5s" });
    const set = (...args: Parameters<NonNullable<typeof b.root.imp.setproxy>>) => b.root.imp.setproxy!(...args);
    const HTTP = b.root.PROXY_TYPE_HTTP as number;
    expect(caught(() => set(HTTP, long(64), 0, long(32), long(32)))).toBeUndefined();
    expect(b.device.model.proxy).toEqual({ host: long(64), port: 0, user: long(32), password: long(32) });
    expect(caught(() => set(HTTP, "p", 65535))).toBeUndefined();
    expect(b.device.model.proxy).toEqual({ host: "p", port: 65535 });
    expect(caught(() => set(HTTP, "p", 80, "u"))).toBeUndefined();
    expect(b.device.model.proxy).toEqual({ host: "p", port: 80, user: "u" });
  });

  const bad: [string, unknown[], string][] = [
    ["type 0", [0, "p", 80], "type"],
    ["type 2", [2, "p", 80], "type"],
    ["type as a string", ["http", "p", 80], "type"],
    ["address over 64", [1, long(65), 80], "address"],
    ["empty address", [1, "", 80], "address"],
    ["address not a string", [1, 42, 80], "address"],
    ["address missing", [1, undefined, 80], "address"],
    ["port -1", [1, "p", -1], "port"],
    ["port 65536", [1, "p", 65536], "port"],
    ["port 80.5", [1, "p", 80.5], "port"],
    ["port as a string", [1, "p", "80"], "port"],
    ["port NaN", [1, "p", NaN], "port"],
    ["port missing", [1, "p"], "port"],
    ["username over 32", [1, "p", 80, long(33)], "username"],
    ["username not a string", [1, "p", 80, 7], "username"],
    ["password over 32", [1, "p", 80, "u", long(33)], "password"],
    ["password not a string", [1, "p", 80, "u", {}], "password"],
  ];
  it.each(bad)("R29 %s throws, naming the argument, and changes nothing", async (_name, args, argument) => {
    const b = await bench({ duration: "5s" });
    b.root.imp.setproxy!(b.root.PROXY_TYPE_HTTP as number, "before.lan", 8080, "u", "p");
    const imp = b.root.imp as unknown as { setproxy(...a: unknown[]): void };
    expectRejected(b, () => imp.setproxy(...args), argument);
    expect(b.device.model.proxy).toEqual({ host: "before.lan", port: 8080, user: "u", password: "p" });
  });

  it("R29 stored without dropping the connection, applied from the next one", async () => {
    const seen: [string, unknown][] = [];
    const b = await bench({ duration: "1m", world: { proxies: [PROXY] } }, at(20, (root) => {
      returning(root);
      root.imp.setproxy!(root.PROXY_TYPE_HTTP as number, PROXY.host, PROXY.port);
      seen.push(["connected after set", root.server.isconnected()]);
      root.server.disconnect();
      void root.server.connect((r) => seen.push(["connect", r]), 30);
    }));
    expect(seen).toEqual([
      ["connected after set", true],
      ["connect", b.root.SERVER_CONNECTED],
    ]);
    const [boot, next] = b.of("attempt");
    expect(boot!.layers.map((l) => l.layer)).not.toContain("proxy");
    expect(next!.layers.map((l) => l.layer)).toEqual(["wifi", "ip", "dns", "proxy", "tcp", "tls", "session"]);
    expect(next).toMatchObject({ t: 20_000 + HEALTHY_WIFI_MS + 20, ms: HEALTHY_WIFI_MS + 20 });
  });

  it("R29 clearconfiguration(CONFIG_PROXY) clears it: the next connection goes direct", async () => {
    let info: NetInfo | undefined;
    const b = await bench({ duration: "1m", world: { proxies: [PROXY] }, devices: [{ id: "dev", proxy: PROXY }] }, at(20, (root) => {
      returning(root);
      root.imp.clearconfiguration(root.CONFIG_PROXY as number);
      info = root.imp.net!.info();
      root.server.disconnect();
      void root.server.connect(() => {}, 30);
    }));
    const [boot, next] = b.of("attempt");
    expect(boot!.layers.map((l) => l.layer)).toContain("proxy");
    expect(next!.layers.map((l) => l.layer)).not.toContain("proxy");
    expect(info?.ipv4?.proxy).toBeUndefined();
    expect(b.device.model.proxy).toBeUndefined();
  });

  it("R29 the password is never reported: not in imp.net.info(), not on the timeline", async () => {
    const PASSWORD = "pw-NEVER-SHOWN";
    const infos: string[] = [];
    const b = await bench(
      { duration: "2m", world: { proxies: [{ ...PROXY, user: "imp", password: "right" }] }, devices: [{ id: "dev", proxy: { ...PROXY, user: "imp", password: PASSWORD } }] },
      at(20, (root) => {
        returning(root);
        infos.push(JSON.stringify(root.imp.net!.info()));
        root.imp.setproxy!(root.PROXY_TYPE_HTTP as number, PROXY.host, PROXY.port, "imp", `${PASSWORD}-2`);
        infos.push(JSON.stringify(root.imp.net!.info()));
        void root.server.connect((r) => {
          infos.push(JSON.stringify(root.imp.net!.info()));
          void root.server.log(`reason ${r}`);
        }, 30);
      }),
    );
    // the wrong password is rejected by the proxy: NOT_AUTHORISED, with the HTTP status in the detail
    expect(b.of("attempt").at(-1)).toMatchObject({ reasonName: "NOT_AUTHORISED", layer: "proxy" });
    expect(infos).toHaveLength(3);
    for (const text of [...infos, ...b.events.map(toJsonLine), ...b.events.map((e) => formatHuman(e, { color: false }))]) expect(text).not.toContain(PASSWORD);
  });
});

describe("R30 imp.net.configurewps", () => {
  const wpsWorld = { wifi: [{ ssid: "wpsnet", key: "wpskey", wps: true }] };

  it("R30 the WPS attempt ignores the timeout; success stores the SSID and key, and disarms it", async () => {
    const seen: [number, number][] = [];
    let info: NetInfo | undefined;
    const b = await bench({ duration: "2m", world: wpsWorld, devices: [{ id: "dev", wifi: null }] }, (root, device) =>
      at(20, () => {
        returning(root);
        root.imp.net!.configurewps!("12345670");
        void root.server.connect((r) => {
          seen.push([r, device.clock.now()]);
          info = root.imp.net!.info();
          root.server.disconnect();
          void root.server.connect((r2) => seen.push([r2, device.clock.now()]), 5);
        }, 5);
      })(root, device),
    );
    const wpsDone = 20_000 + 20_000 + HEALTHY_WIFI_MS; // WPS 20 s, then a healthy walk, despite the 5 s timeout
    expect(seen).toEqual([
      [b.root.SERVER_CONNECTED, wpsDone],
      [b.root.SERVER_CONNECTED, wpsDone + HEALTHY_WIFI_MS],
    ]);
    const late = b.of("attempt").filter((a) => a.t > 20_000);
    expect(late.map((a) => a.layers[0]!.layer)).toEqual(["wps", "wifi"]);
    expect(b.device.model.wifi).toEqual({ ssid: "wpsnet", key: "wpskey" });
    expect(info?.interface[0]?.ssid).toBe("wpsnet");
  });

  it("R30 WPS failing reports NO_WIFI within 120 s, and disarms it", async () => {
    const seen: [number, number][] = [];
    const b = await bench({ duration: "5m", devices: [{ id: "dev", wifi: null }] }, (root, device) =>
      at(20, () => {
        returning(root);
        root.imp.net!.configurewps!();
        void root.server.connect((r) => {
          seen.push([r, device.clock.now()]);
          void root.server.connect((r2) => seen.push([r2, device.clock.now()]), 5);
        }, 5);
      })(root, device),
    );
    // no access point offers WPS: no answer, capped at 120 s; then an ordinary attempt with nothing stored
    expect(seen).toEqual([
      [b.root.NO_WIFI, 140_000],
      [b.root.NO_WIFI, 142_000],
    ]);
    const late = b.of("attempt").filter((a) => a.t > 20_000);
    expect(late).toMatchObject([
      { ms: 120_000, layer: "wps", reasonName: "NO_WIFI" },
      { ms: 2000, layer: "wifi", reasonName: "NO_WIFI" },
    ]);
    expect(b.device.model.wifi).toBeUndefined();
  });

  it("R30 armed across a deep sleep", async () => {
    const seen: number[] = [];
    const b = await bench({ duration: "2m", world: wpsWorld, devices: [{ id: "dev", wifi: null }] }, at(20, (root) => {
      if (root.nv.armed !== true) {
        root.nv.armed = true;
        root.imp.net!.configurewps!();
        root.imp.deepsleepfor(1);
        return;
      }
      returning(root);
      void root.server.connect((r) => seen.push(r), 5);
    }));
    expect(b.of("boot").map((l) => l.cause)).toEqual(["cold", "wake"]);
    expect(seen).toEqual([b.root.SERVER_CONNECTED]);
    expect(b.of("attempt").at(-1)!.layers[0]!.layer).toBe("wps");
  });

  it("R30 a device without WiFi throws and nothing is armed", async () => {
    const b = await bench({ duration: "5s", devices: [{ id: "dev", interfaces: ["ethernet", "cell"] }] });
    for (const pin of [undefined, "12345670"]) {
      const before = snapshot(b);
      expect(caught(() => b.root.imp.net!.configurewps!(pin))).toMatchObject({ code: "IMPNET_INVALID_STATE" });
      expect(snapshot(b)).toEqual(before);
    }
    expect(b.device.conn.wpsArmed).toBe(false);
  });

  it.each([["1234567"], ["123456789"], ["abcdefgh"], ["1234 678"], ["１２３４５６７８"], [""], [12345678], [null]])("R30 pin %o throws, naming pin, and arms nothing", async (pin) => {
    const b = await bench({ duration: "5s" });
    expectRejected(b, () => b.root.imp.net!.configurewps!(pin as string), "pin");
    expect(b.device.conn.wpsArmed).toBe(false);
  });

  it("R30 a pin of 8 decimal digits, or none, arms WPS", async () => {
    for (const pin of ["00000000", "12345670", undefined]) {
      const b = await bench({ duration: "5s" });
      b.root.imp.net!.configurewps!(pin);
      expect(b.device.conn.wpsArmed).toBe(true);
    }
  });
});

describe("R31 imp.clearconfiguration", () => {
  const spec = { duration: "10s", world: { proxies: [PROXY] }, devices: [{ id: "dev", proxy: PROXY }] };
  const WIFI = { ssid: "home", key: "secret" };

  it.each([
    ["CONFIG_WIFI", { proxy: PROXY }],
    ["CONFIG_PROXY", { wifi: WIFI }],
    ["CONFIG_STATIC_NETWORK", { wifi: WIFI, proxy: PROXY }],
    [undefined, {}],
  ] as const)("R31 clearconfiguration(%s) clears that (all when omitted); the connection stays up", async (action, left) => {
    const b = await bench(spec);
    expect(b.root.server.isconnected()).toBe(true);
    b.root.imp.clearconfiguration(action === undefined ? undefined : (b.root[action] as number));
    expect({ wifi: b.device.model.wifi, proxy: b.device.model.proxy }).toEqual({ wifi: undefined, proxy: undefined, ...left });
    expect(b.root.server.isconnected()).toBe(true);
    expect(b.of("disconnected")).toHaveLength(0);
  });

  it("R31 after clearing the WiFi configuration the next connection has no network to join", async () => {
    const seen: number[] = [];
    const b = await bench({ duration: "1m" }, at(20, (root) => {
      returning(root);
      root.imp.clearconfiguration(root.CONFIG_WIFI as number);
      seen.push(root.server.isconnected() ? 1 : 0);
      root.server.disconnect();
      void root.server.connect((r) => seen.push(r), 30);
    }));
    expect(seen).toEqual([1, b.root.NO_WIFI]);
    expect(b.of("attempt").at(-1)).toMatchObject({ t: 22_000, layer: "wifi" });
    expect(b.root.imp.net!.info().interface).toEqual([{ type: "wifi", id: "wl0" }]);
  });

  it.each([[0], [8], [-1], [1.5], ["1"], [null], [NaN]])("R31 action %o throws, naming action, and changes nothing", async (action) => {
    const b = await bench(spec);
    expectRejected(b, () => b.root.imp.clearconfiguration(action as number), "action");
  });

  it("R31 before 34 there is no proxy to clear: CONFIG_PROXY's value is refused", async () => {
    const b = await bench({ duration: "5s", devices: [{ id: "dev", release: 30 }] });
    expect(b.root.CONFIG_PROXY).toBeUndefined();
    expectRejected(b, () => b.root.imp.clearconfiguration(2), "action");
    b.root.imp.clearconfiguration();
    expect(b.device.model.wifi).toBeUndefined();
  });
});

describe("R29 a rejected password is not echoed either", () => {
  const SECRET = "pw-NEVER-SHOWN-0123456789-abcdefghij"; // 36 characters: over the limit

  it("R29 the error for a too-long password does not contain it", async () => {
    const b = await bench({ duration: "5s" });
    const e = caught(() => b.root.imp.setproxy!(b.root.PROXY_TYPE_HTTP as number, "proxy.lan", 3128, "imp", SECRET));
    expect(e).toMatchObject({ code: "IMPNET_INVALID_ARGUMENT", argument: "password" });
    expect(String((e as Error).message)).not.toContain(SECRET.slice(0, 10));
    expect(String((e as Error).stack)).not.toContain(SECRET.slice(0, 10));
  });

  it("R29 nor does a program's uncaught error line on the timeline", async () => {
    const b = await bench({ duration: "5s" }, (root) => {
      root.imp.setproxy!(root.PROXY_TYPE_HTTP as number, "proxy.lan", 3128, "imp", SECRET);
    });
    expect(b.of("error")).toHaveLength(1);
    for (const line of b.events.map(toJsonLine)) expect(line).not.toContain(SECRET.slice(0, 10));
  });
});
