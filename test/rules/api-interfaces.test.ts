import { describe, expect, it } from "vitest";
import type { NetInfo } from "../../src/device/api/net.js";
import { at, bench, caught, expectRejected, HEALTHY_CELL_MS, HEALTHY_WIFI_MS, returning, snapshot } from "./api-support.js";

/** link 50 + dhcp 1000 + dns 50 + tcp 30 + tls 200 + session 100 */
const HEALTHY_ETHERNET_MS = 1430;
const ALL = ["wifi", "ethernet", "cell"];

describe("R16 the current interface rotates on failure", () => {
  it("R16 legacy order ethernet → wifi → cell, wrapping round, one interface per attempt", async () => {
    const seen: number[] = [];
    const b = await bench(
      {
        duration: "1m",
        world: { ethernet: { link: false }, wifi: [{ ssid: "home", key: "other" }] },
        devices: [{ id: "dev", interfaces: ["wifi", "cell", "ethernet"], wifi: { ssid: "home", key: "secret" } }],
      },
      at(20, (root) => {
        returning(root);
        const again = (r: number) => {
          seen.push(r);
          if (r !== root.SERVER_CONNECTED) void root.server.connect(again, 60);
        };
        void root.server.connect(again, 60);
      }),
    );
    const attempts = b.of("attempt");
    // boot (10 s window on ethernet): eth0 fails after 50 ms, wl0's wrong key after 4 s, cell0 runs out of window
    expect(attempts.map((a) => [a.t, a.interface, a.reasonName])).toEqual([
      [50, "eth0", "NO_LINK"],
      [4050, "wl0", "NO_WIFI"],
      [10_000, "cell0", "NO_REGISTRATION"],
      [20_050, "eth0", "NO_LINK"],
      [24_050, "wl0", "NO_WIFI"],
      [24_050 + HEALTHY_CELL_MS, "cell0", "SERVER_CONNECTED"],
    ]);
    expect(seen).toEqual([b.root.NO_LINK, b.root.NO_WIFI, b.root.SERVER_CONNECTED]);
    const layersOf = { eth0: ["link"], wl0: ["wifi"], cell0: ["modem"] } as const;
    for (const a of attempts) expect(a.layers[0]!.layer).toBe(layersOf[a.interface][0]);
    expect(b.of("connected")).toMatchObject([{ interface: "cell0" }]);
  });

  it("R16 only the interfaces the device has; a timeout moves on too", async () => {
    const seen: number[] = [];
    const b = await bench(
      { duration: "1m", world: { wifi: [{ ssid: "elsewhere", key: "x" }] }, devices: [{ id: "dev", interfaces: ["cell", "wifi"], wifi: { ssid: "home", key: "secret" } }] },
      at(20, (root) => {
        returning(root);
        void root.server.connect((r) => seen.push(r), 30);
      }),
    );
    // wifi first (no ethernet); no access point answers, so the boot attempt runs to the window's end
    expect(b.of("attempt").map((a) => [a.t, a.interface, a.reasonName])).toEqual([
      [10_000, "wl0", "NO_WIFI"],
      [20_000 + HEALTHY_CELL_MS, "cell0", "SERVER_CONNECTED"],
    ]);
    expect(seen).toEqual([b.root.SERVER_CONNECTED]);
  });

  it("R16 a device with one interface keeps using it", async () => {
    const b = await bench({ duration: "30s", world: { ethernet: { link: false } }, devices: [{ id: "dev", interfaces: ["ethernet"] }] });
    const attempts = b.of("attempt");
    expect(attempts.length).toBeGreaterThan(2);
    expect(new Set(attempts.map((a) => a.interface))).toEqual(new Set(["eth0"]));
  });
});

describe("R17 setserverinterfaces and getserverinterfaces", () => {
  const devices = (interfaces = ALL) => [{ id: "dev", interfaces }];

  it("R17 legacy mode reports the default sequence of the interfaces the device has", async () => {
    const all = await bench({ duration: "5s", devices: devices() });
    expect(all.root.imp.net!.getserverinterfaces!()).toEqual(["ethernet", "wifi", "cell"]);
    const two = await bench({ duration: "5s", devices: devices(["cell", "wifi"]) });
    expect(two.root.imp.net!.getserverinterfaces!()).toEqual(["wifi", "cell"]);
  });

  it.each([
    [["cell"], ["cell", "ethernet", "wifi"], ["cell", "ethernet", "wifi"]],
    [["wl0", "eth0"], ["wl0", "eth0", "cell"], ["wifi", "ethernet", "cell"]],
    [["cell0", "wifi"], ["cell0", "wifi", "ethernet"], ["cell", "wifi", "ethernet"]],
    [["ethernet", "wifi", "cell"], ["ethernet", "wifi", "cell"], ["ethernet", "wifi", "cell"]],
    [["wifi", "wl0", "cell", "wifi"], ["wifi", "cell", "ethernet"], ["wifi", "cell", "ethernet"]],
    [["eth0", "ethernet"], ["eth0", "wifi", "cell"], ["ethernet", "wifi", "cell"]],
  ])("R17 setserverinterfaces(%j): get returns %j; the remaining defaults follow, duplicates dropped", async (ids, got, sequence) => {
    const b = await bench({ duration: "5s", devices: devices() });
    b.root.imp.net!.setserverinterfaces!(ids);
    expect(b.root.imp.net!.getserverinterfaces!()).toEqual(got);
    expect(b.device.conn.sequence).toEqual(sequence);
    expect(b.device.conn.current).toBe(0); // the sequence's first is current
  });

  it("R17 the remaining interfaces are only those the device has", async () => {
    const b = await bench({ duration: "5s", devices: devices(["wifi", "cell"]) });
    b.root.imp.net!.setserverinterfaces!(["cell"]);
    expect(b.root.imp.net!.getserverinterfaces!()).toEqual(["cell", "wifi"]);
  });

  it("R17 an empty list returns to legacy mode", async () => {
    const b = await bench({ duration: "5s", devices: devices() });
    b.root.imp.net!.setserverinterfaces!(["cell0", "wl0"]);
    b.root.imp.net!.setserverinterfaces!([]);
    expect(b.root.imp.net!.getserverinterfaces!()).toEqual(["ethernet", "wifi", "cell"]);
    expect(b.device.givenInterfaces).toBeNull();
    expect(b.device.conn.sequence).toEqual(["ethernet", "wifi", "cell"]);
  });

  it.each([["bogus"], ["wl1"], ["eth1"], [""], ["WIFI"], [5], [null], [undefined], [{}]])("R17 unknown id %o throws, naming it, and changes nothing", async (bad) => {
    const b = await bench({ duration: "5s", devices: devices() });
    b.root.imp.net!.setserverinterfaces!(["cell", "wl0"]);
    expectRejected(b, () => b.root.imp.net!.setserverinterfaces!(["eth0", bad]), "ids[1]");
    expect(b.root.imp.net!.getserverinterfaces!()).toEqual(["cell", "wl0", "ethernet"]);
  });

  it("R17 an interface the device lacks is unknown to it [our reading]", async () => {
    const b = await bench({ duration: "5s", devices: devices(["wifi"]) });
    expectRejected(b, () => b.root.imp.net!.setserverinterfaces!(["cell"]), "ids[0]");
    expectRejected(b, () => b.root.imp.net!.setserverinterfaces!(["wifi", "eth0"]), "ids[1]");
    expect(b.root.imp.net!.getserverinterfaces!()).toEqual(["wifi"]);
  });

  it.each([["wifi"], [null], [undefined], [{ 0: "wifi", length: 1 }], [5]])("R17 ids %o that is not an array throws, naming ids", async (bad) => {
    const b = await bench({ duration: "5s", devices: devices() });
    expectRejected(b, () => b.root.imp.net!.setserverinterfaces!(bad), "ids");
  });

  it("R17 the sequence's first interface is used next, and failures rotate through the set sequence", async () => {
    const seen: [number, boolean][] = [];
    const b = await bench(
      {
        duration: "2m",
        world: { wifi: [{ ssid: "home", key: "other" }] },
        devices: [{ id: "dev", interfaces: ALL, wifi: { ssid: "home", key: "secret" }, cell: { modem: false } }],
      },
      at(20, (root) => {
        returning(root);
        root.imp.net!.setserverinterfaces!(["cell", "wifi"]); // cell, wifi, then ethernet
        root.server.disconnect();
        const again = (r: number) => {
          seen.push([r, root.server.isconnected()]);
          if (r !== root.SERVER_CONNECTED) void root.server.connect(again, 60);
        };
        void root.server.connect(again, 60);
      }),
    );
    const late = b.of("attempt").filter((a) => a.t > 20_000);
    expect(late.map((a) => [a.t, a.interface, a.reasonName])).toEqual([
      [21_000, "cell0", "NO_MODEM"],
      [25_000, "wl0", "NO_WIFI"],
      [25_000 + HEALTHY_ETHERNET_MS, "eth0", "SERVER_CONNECTED"],
    ]);
    expect(seen).toEqual([
      [b.root.NO_MODEM, false],
      [b.root.NO_WIFI, false],
      [b.root.SERVER_CONNECTED, true],
    ]);
  });
});

describe("R18 server.connectwith", () => {
  it("R18 throws under SUSPEND_ON_ERROR and changes nothing", async () => {
    const b = await bench({ duration: "15s", world: { server: { up: false } } });
    const before = snapshot(b);
    const e = caught(() => b.root.server.connectwith!({ interface: "wifi" }, () => {}, 30));
    expect(e).toMatchObject({ code: "IMPNET_INVALID_STATE" });
    expect(snapshot(b)).toEqual(before);
  });

  it("R18 is allowed under RETURN_ON_ERROR and RETURN_ON_ERROR_NO_DISCONNECT", async () => {
    const b = await bench({ duration: "5s" });
    for (const policy of [b.root.RETURN_ON_ERROR, b.root.RETURN_ON_ERROR_NO_DISCONNECT] as number[]) {
      b.root.server.setsendtimeoutpolicy(policy, b.root.WAIT_TIL_SENT as number, 10);
      expect(caught(() => b.root.server.connectwith!({ interface: "wl0" }, () => {}, 30))).toBeUndefined();
    }
  });

  it("R18 connects through the interface asked for and makes it the current one", async () => {
    const seen: [string, number, number][] = [];
    const b = await bench({ duration: "2m", devices: [{ id: "dev", interfaces: ["wifi", "cell"] }] }, (root, device) =>
      at(20, () => {
        returning(root);
        root.server.disconnect();
        root.server.connectwith!({ interface: "cell0" }, (r) => {
          seen.push(["connectwith", r, device.clock.now()]);
          root.server.disconnect();
          void root.server.connect((r2) => seen.push(["connect", r2, device.clock.now()]), 60); // the current interface: cell
        }, 60);
      })(root, device),
    );
    expect(seen).toEqual([
      ["connectwith", b.root.SERVER_CONNECTED, 20_000 + HEALTHY_CELL_MS],
      ["connect", b.root.SERVER_CONNECTED, 20_000 + 2 * HEALTHY_CELL_MS],
    ]);
    expect(b.of("connected").map((c) => c.interface)).toEqual(["wl0", "cell0", "cell0"]);
    expect(b.of("callback").map((c) => c.api)).toEqual(["connectwith", "connect"]);
  });

  it("R18 a wificonfig is used for this connection and not stored", async () => {
    const seen: number[] = [];
    let info: NetInfo | undefined;
    const b = await bench(
      {
        duration: "1m",
        world: { wifi: [{ ssid: "home", key: "secret" }, { ssid: "guest", key: "guestkey" }] },
        // the guest network goes: only a connection on it is lost
        events: [{ at: "40s", set: { "world.wifi": [{ ssid: "home", key: "secret" }] } }],
      },
      at(20, (root) => {
        returning(root);
        root.server.onunexpecteddisconnect((r) => seen.push(-r));
        root.server.disconnect();
        root.server.connectwith!({ interface: "wifi", wificonfig: { ssid: "guest", key: "guestkey" } }, (r) => {
          seen.push(r);
          info = root.imp.net!.info();
        }, 30);
      }),
    );
    expect(seen[0]).toBe(b.root.SERVER_CONNECTED);
    expect(b.of("disconnected").filter((d) => !d.expected)).toMatchObject([{ t: 40_000, reason: 1 }]);
    expect(info?.interface).toEqual([{ type: "wifi", id: "wl0", ssid: "home" }]);
    expect(b.device.model.wifi).toEqual({ ssid: "home", key: "secret" });
  });

  it("R18 after a connectwith with its own wificonfig, connect() uses the stored network", async () => {
    const seen: [number, number][] = [];
    const b = await bench(
      { duration: "1m" },
      (root, device) =>
        at(20, () => {
          returning(root);
          root.server.disconnect();
          root.server.connectwith!({ interface: "wifi", wificonfig: { ssid: "home", key: "wrong" } }, (r) => {
            seen.push([r, device.clock.now()]);
            void root.server.connect((r2) => seen.push([r2, device.clock.now()]), 30);
          }, 30);
        })(root, device),
    );
    // the wrong key is refused after 4 s; the stored key then joins
    expect(seen).toEqual([
      [b.root.NO_WIFI, 24_000],
      [b.root.SERVER_CONNECTED, 24_000 + HEALTHY_WIFI_MS],
    ]);
  });

  it("R18 default timeout 60 s", async () => {
    const seen: [number, number][] = [];
    const b = await bench({ duration: "2m", world: { wifi: [] }, devices: [{ id: "dev", interfaces: ["wifi", "cell"], wifi: { ssid: "home", key: "secret" } }] }, (root, device) =>
      at(20, () => {
        returning(root);
        root.server.connectwith!({ interface: "wl0" }, (r) => seen.push([r, device.clock.now()]));
      })(root, device),
    );
    expect(seen).toEqual([[b.root.NO_WIFI, 80_000]]);
    expect(b.of("attempt").filter((a) => a.t > 20_000)).toMatchObject([{ interface: "wl0", ms: 60_000, layer: "wifi" }]);
  });

  it("R18 default timeout 120 s on cell", async () => {
    const seen: [number, number][] = [];
    const b = await bench(
      { duration: "4m", world: { cell: { registration: "none" } }, devices: [{ id: "dev", interfaces: ["cell"] }] },
      (root, device) =>
        at(40, () => {
          returning(root);
          root.server.connectwith!({ interface: "cell" }, (r) => seen.push([r, device.clock.now()]));
        })(root, device),
    );
    expect(seen).toEqual([[b.root.NO_REGISTRATION, 160_000]]);
    expect(b.of("attempt").filter((a) => a.t > 40_000)).toMatchObject([{ interface: "cell0", ms: 120_000, layer: "registration" }]);
  });
});

describe("R19 imp.net.info()", () => {
  it("R19 lists every interface with type and id; WiFi carries the stored SSID; active is the connected one", async () => {
    const b = await bench({ duration: "10s", devices: [{ id: "dev", interfaces: ALL, wifi: { ssid: "home", key: "secret" } }] });
    const info = b.root.imp.net!.info();
    expect([...info.interface].sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { type: "cell", id: "cell0" },
      { type: "ethernet", id: "eth0" },
      { type: "wifi", id: "wl0", ssid: "home" },
    ]);
    expect(info.active).toBeTypeOf("number");
    expect(info.interface[info.active!]!.type).toBe("ethernet"); // legacy: ethernet first, and healthy
    expect("lasterror" in info).toBe(false);
    expect(JSON.stringify(info)).not.toContain("secret");
  });

  it("R19 active is absent offline and lasterror holds the last reason; both flip once connected", async () => {
    const infos: NetInfo[] = [];
    const b = await bench(
      { duration: "1m", world: { server: { up: false } }, events: [{ at: "30s", set: { "world.server.up": true } }] },
      at(20, (root) => {
        infos.push(root.imp.net!.info());
        returning(root);
        root.imp.wakeup(20, () =>
          void root.server.connect(() => {
            infos.push(root.imp.net!.info());
            root.server.disconnect();
            infos.push(root.imp.net!.info());
          }, 30),
        );
      }),
    );
    expect(infos).toHaveLength(3);
    expect("active" in infos[0]!).toBe(false);
    // the boot's last attempt: cut off in the WiFi join by the window's end, after three refusals
    const boot = b.of("attempt").filter((a) => a.t <= 10_000);
    expect(boot.map((a) => a.reasonName)).toEqual(["NO_SERVER", "NO_SERVER", "NO_SERVER", "NO_WIFI"]);
    expect(infos[0]!.lasterror).toBe(b.root.NO_WIFI);
    expect(infos[1]!.active).toBe(0);
    expect("lasterror" in infos[1]!).toBe(false);
    expect("active" in infos[2]!).toBe(false);
  });

  it("R19 no SSID when none is stored", async () => {
    const b = await bench({ duration: "5s", devices: [{ id: "dev", wifi: null }] });
    expect(b.root.imp.net!.info().interface).toEqual([{ type: "wifi", id: "wl0" }]);
  });

  it("R19 the proxy is reported as address, port, type and user, never the password", async () => {
    const proxy = { host: "proxy.lan", port: 3128, user: "imp", password: "pw-NEVER-SHOWN" };
    const b = await bench({ duration: "10s", world: { proxies: [proxy] }, devices: [{ id: "dev", proxy }] });
    const info = b.root.imp.net!.info();
    expect(info.active).toBe(0);
    expect(info.ipv4?.proxy).toEqual({ address: "proxy.lan", port: 3128, type: "http", user: "imp" });
    expect(JSON.stringify(info)).not.toContain("pw-NEVER-SHOWN");
  });

  it("R19 a proxy without credentials has no user", async () => {
    const proxy = { host: "proxy.lan", port: 8080 };
    const b = await bench({ duration: "10s", world: { proxies: [proxy] }, devices: [{ id: "dev", proxy }] });
    expect(b.root.imp.net!.info().ipv4?.proxy).toEqual({ address: "proxy.lan", port: 8080, type: "http" });
  });
});
