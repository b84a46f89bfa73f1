import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/errors.js";
import { loadScenario } from "../../src/scenario/load.js";
import { DEFAULT_TIMINGS } from "../../src/scenario/types.js";
import { FIXTURES, minimal, parse } from "./helpers.js";

async function rejection(promise: Promise<unknown>): Promise<ScenarioError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  return error as ScenarioError;
}

describe("defaults", () => {
  it("fill a healthy world", () => {
    const s = parse(minimal());
    expect(s.durationMs).toBe(1_200_000);
    expect(s.seed).toBe(1);
    expect(s.world).toEqual({
      server: { host: "impnet.local", up: true, failure: "refuse", accept: true },
      dns: { ok: true, failure: "nxdomain", names: {} },
      wifi: [{ ssid: "home", key: "secret", wps: false, dhcp: true }],
      ethernet: { link: true, dhcp: true },
      cell: { registration: "home", ppp: true, internet: true },
      proxies: [],
    });
    expect(s.timing).toEqual(DEFAULT_TIMINGS);
    expect(s.events).toEqual([]);
  });

  it("make a device that can join the default access point", () => {
    const [device, ...rest] = parse(minimal()).devices;
    expect(rest).toEqual([]);
    expect(device).toEqual({
      id: "dev-a",
      baseId: "dev-a",
      release: 42,
      interfaces: ["wifi"],
      wifi: { ssid: "home", key: "secret" },
      cell: { modem: true, sim: "ok" },
      quirks: [],
      program: join(FIXTURES, "device.mjs"),
    });
  });

  it("store no network for a device without WiFi, or with wifi: null", () => {
    const s = parse(
      minimal({
        devices: [
          { id: "eth", interfaces: ["ethernet"], program: "device.mjs" },
          { id: "none", wifi: null, program: "device.mjs" },
        ],
      }),
    );
    expect(s.devices.map((d) => d.wifi)).toEqual([undefined, undefined]);
  });

  it("fill partial entries", () => {
    const s = parse(
      minimal({
        world: { wifi: [{ ssid: "open" }], proxies: [{ host: "proxy.lan" }], dns: { names: { "proxy.lan": false } } },
        devices: [{ id: "d", wifi: { ssid: "open" }, proxy: { host: "proxy.lan" }, program: "device.mjs" }],
        timing: { wifiJoin: "3s" },
      }),
    );
    expect(s.world.wifi).toEqual([{ ssid: "open", key: "", wps: false, dhcp: true }]);
    expect(s.world.proxies).toEqual([{ host: "proxy.lan", port: 3128, up: true }]);
    expect(s.world.dns).toEqual({ ok: true, failure: "nxdomain", names: { "proxy.lan": false } });
    expect(s.devices[0]?.wifi).toEqual({ ssid: "open", key: "" });
    expect(s.devices[0]?.proxy).toEqual({ host: "proxy.lan", port: 3128 });
    expect(s.timing).toEqual({ ...DEFAULT_TIMINGS, wifiJoin: 3000 });
  });

  it("do not share objects between scenarios", () => {
    const a = parse(minimal());
    a.world.wifi.push({ ssid: "x", key: "", wps: false, dhcp: true });
    a.world.dns.names.x = false;
    const b = parse(minimal());
    expect(b.world.wifi).toHaveLength(1);
    expect(b.world.dns.names).toEqual({});
  });
});

describe("loadScenario", () => {
  it("reads the full example of scenario.md", async () => {
    const s = await loadScenario(join(FIXTURES, "full.yaml"));
    expect(s.source).toBe(join(FIXTURES, "full.yaml"));
    expect(s.baseDir).toBe(FIXTURES.replace(/\/$/, ""));
    expect(s.seed).toBe(7);
    expect(s.devices.map((d) => d.id)).toEqual(["dev-a-1", "dev-a-2", "dev-a-3", "dev-b"]);
    expect(s.devices[0]?.agent).toBe(join(FIXTURES, "agent.mjs"));
    expect(s.world.server.failure).toBe("blackhole");
    expect(s.timing.registration).toBe(40_000);
    // events come out in time order, whatever the file's order
    expect(s.events).toEqual([
      { atMs: 150_000, set: { "world.server.up": false } },
      { atMs: 720_000, set: { "world.server.up": true, "devices.dev-a.cell.sim": "ok" } },
    ]);
  });

  it("reads JSON", async () => {
    const s = await loadScenario(join(FIXTURES, "scenario.json"));
    expect(s.durationMs).toBe(60_000);
    expect(s.devices[0]?.id).toBe("json-dev");
  });

  it("lets the seed option override the file", async () => {
    expect((await loadScenario(join(FIXTURES, "full.yaml"), { seed: 99 })).seed).toBe(99);
  });

  it("rejects a bad seed option", async () => {
    const error = await rejection(loadScenario(join(FIXTURES, "healthy.yaml"), { seed: -1 }));
    expect(error.issues).toEqual(["seed: the seed option must be a non-negative integer, got -1"]);
  });

  it("reports a missing file", async () => {
    const error = await rejection(loadScenario(join(FIXTURES, "no-such.yaml")));
    expect(error.code).toBe("IMPNET_SCENARIO_INVALID");
    expect(error.issues).toEqual(["file not found"]);
    expect(error.message).toContain("no-such.yaml");
  });

  it("reports YAML syntax errors with their line", async () => {
    const error = await rejection(loadScenario(join(FIXTURES, "bad-syntax.yaml")));
    expect(error.issues.length).toBeGreaterThan(0);
    expect(error.issues[0]).toMatch(/^line \d+, column \d+: /);
  });

  it("reports duplicate keys", async () => {
    const dir = mkdtempSync(join(tmpdir(), "impnet-scenario-"));
    const file = join(dir, "dup.yaml");
    writeFileSync(file, "duration: 1m\nduration: 2m\ndevices: []\n");
    const error = await rejection(loadScenario(file));
    expect(error.issues[0]).toMatch(/^line 2, column 1: .*unique/);
  });

  it("reports an empty file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "impnet-scenario-"));
    const file = join(dir, "empty.yaml");
    writeFileSync(file, "");
    const error = await rejection(loadScenario(file));
    expect(error.issues).toEqual(["(top level): expected object, got null"]);
  });
});
