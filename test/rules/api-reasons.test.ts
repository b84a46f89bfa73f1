import { describe, expect, it } from "vitest";
import { reasonName } from "../../src/constants.js";
import { at, bench, HEALTHY_WIFI_MS, returning } from "./api-support.js";

const TABLE: [string, number][] = [
  ["NOT_CONNECTED", 0],
  ["NO_WIFI", 1],
  ["NO_LINK", 1],
  ["NO_IP_ADDRESS", 2],
  ["NOT_RESOLVED", 3],
  ["NO_SERVER", 4],
  ["SERVER_CONNECTED", 5],
  ["NO_PROXY", 6],
  ["NOT_AUTHORISED", 7],
  ["NO_MODEM", 8],
  ["SIM_ERROR", 9],
  ["NO_REGISTRATION", 10],
  ["REGISTRATION_DENIED", 11],
  ["NO_PPP_CONNECTION", 12],
  ["PPP_NO_CONNECTIVITY", 13],
];

describe("R01 reason codes", () => {
  it("R01 the newest release's root table holds every reason with the table's value", async () => {
    const { root } = await bench({ duration: "5s" });
    for (const [name, value] of TABLE) expect(root[name], name).toBe(value);
  });

  it("R01 NO_LINK and NO_WIFI are the same value", async () => {
    const { root } = await bench({ duration: "5s" });
    expect(root.NO_LINK).toBe(root.NO_WIFI);
  });

  it("R01 reasonName names 1 by interface type: NO_LINK on Ethernet, NO_WIFI elsewhere", () => {
    expect(reasonName(1, "ethernet")).toBe("NO_LINK");
    expect(reasonName(1, "wifi")).toBe("NO_WIFI");
    expect(reasonName(1, "cell")).toBe("NO_WIFI");
    expect(reasonName(1)).toBe("NO_WIFI");
    for (const [name, value] of TABLE) if (value !== 1) expect(reasonName(value, "ethernet")).toBe(name);
  });

  it("R01 an Ethernet link failure is reported as NO_LINK, a WiFi join failure as NO_WIFI", async () => {
    const seen: number[] = [];
    const b = await bench(
      {
        duration: "1m",
        world: { ethernet: { link: false }, wifi: [{ ssid: "home", key: "other" }] },
        devices: [{ id: "dev", interfaces: ["ethernet", "wifi"], wifi: { ssid: "home", key: "secret" } }],
      },
      at(20, (root) => {
        returning(root);
        void root.server.connect((r) => {
          seen.push(r);
          void root.server.connect((r2) => seen.push(r2), 30);
        }, 30);
      }),
    );
    expect(seen).toEqual([b.root.NO_LINK, b.root.NO_WIFI]);
    const late = b.of("attempt").filter((a) => a.t >= 20_000);
    expect(late.map((a) => [a.interface, a.reason, a.reasonName])).toEqual([
      ["eth0", 1, "NO_LINK"],
      ["wl0", 1, "NO_WIFI"],
    ]);
    expect(b.of("callback").map((c) => c.reasonName)).toEqual(["NO_LINK", "NO_WIFI"]);
    // link fails after 50 ms; the wrong key after 4 s
    expect(late.map((a) => a.t)).toEqual([20_050, 24_050]);
  });
});

describe("R13 before release 30 there is no NOT_CONNECTED", () => {
  it("R13 release 28 does not define NOT_CONNECTED; release 30 does, as 0", async () => {
    const r28 = await bench({ duration: "5s", devices: [{ id: "dev", release: 28 }] });
    const r30 = await bench({ duration: "5s", devices: [{ id: "dev", release: 30 }] });
    expect(r28.root.NOT_CONNECTED).toBeUndefined();
    expect("NOT_CONNECTED" in r28.root).toBe(false);
    expect(r30.root.NOT_CONNECTED).toBe(0);
  });

  it.each([28, 30, 38])("R13 release %i: a failure that fits no code it knows is the plain value 0", async (release) => {
    const seen: number[] = [];
    const b = await bench(
      { duration: "2m", devices: [{ id: "dev", release, interfaces: ["cell"], cell: { modem: false } }] },
      at(40, (root) => {
        returning(root);
        void root.server.connect((r) => seen.push(r), 30);
      }),
    );
    // no modem: NO_MODEM is a release-40 code, so the device reports 0
    expect(seen).toEqual([0]);
    expect(b.of("callback")).toMatchObject([{ t: 41_000, reason: 0 }]);
  });

  it("R13 release 40 reports the cellular code itself", async () => {
    const seen: number[] = [];
    const b = await bench(
      { duration: "2m", devices: [{ id: "dev", release: 40, interfaces: ["cell"], cell: { modem: false } }] },
      at(40, (root) => {
        returning(root);
        void root.server.connect((r) => seen.push(r), 30);
      }),
    );
    expect(seen).toEqual([b.root.NO_MODEM]);
    expect(seen).toEqual([8]);
  });
});

describe("R14 what counts as connected", () => {
  const refused = { server: { accept: false } };

  it("R14 before 40 the device is connected at TCP/TLS, then the refused session drops it", async () => {
    const b = await bench({ duration: "5s", world: refused, devices: [{ id: "dev", release: 38 }] });
    const lines = b.events.filter((e) => ["attempt", "connected", "disconnected"].includes(e.type) && e.t <= HEALTHY_WIFI_MS);
    expect(lines).toMatchObject([
      { t: HEALTHY_WIFI_MS - 100, type: "attempt", reason: 5, ms: HEALTHY_WIFI_MS - 100 },
      { t: HEALTHY_WIFI_MS - 100, type: "connected", interface: "wl0" },
      { t: HEALTHY_WIFI_MS, type: "disconnected", expected: false, reason: 4 },
    ]);
    expect(b.of("attempt")[0]!.layers.map((l) => l.layer)).toEqual(["wifi", "ip", "dns", "tcp", "tls"]);
  });

  it("R14 from 40 the refused session is a failed attempt: NO_SERVER at the session layer", async () => {
    const b = await bench({ duration: "5s", world: refused, devices: [{ id: "dev", release: 40 }] });
    expect(b.of("connected")).toHaveLength(0);
    expect(b.of("attempt")[0]).toMatchObject({ t: HEALTHY_WIFI_MS, reason: 4, reasonName: "NO_SERVER", layer: "session", ms: HEALTHY_WIFI_MS });
  });

  it.each([
    [38, "SERVER_CONNECTED", HEALTHY_WIFI_MS - 100],
    [40, "NO_SERVER", HEALTHY_WIFI_MS],
  ] as const)("R14 release %i: a program's connect() reports %s", async (release, name, ms) => {
    const seen: { reason: number; at: number; connected: boolean }[] = [];
    let started = 0;
    const b = await bench({ duration: "40s", world: refused, devices: [{ id: "dev", release }] }, (root, device) => {
      // Start offline: sleep once, then connect from the wake.
      if (root.nv.slept !== true) {
        root.nv.slept = true;
        root.imp.deepsleepfor(1);
        return;
      }
      returning(root);
      started = device.clock.now();
      void root.server.connect((r) => seen.push({ reason: r, at: device.clock.now() - started, connected: root.server.isconnected() }), 30);
    });
    expect(seen).toEqual([{ reason: b.root[name], at: ms, connected: release === 38 }]);
  });
});
