import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/errors.js";
import { applySet } from "../../src/scenario/apply-set.js";
import { minimal, parse } from "./helpers.js";

function model() {
  const s = parse(
    minimal({
      world: { proxies: [{ host: "proxy.lan", user: "imp", password: "secret" }] },
      devices: [
        { id: "dev-a", count: 3, program: "device.mjs" },
        { id: "dev-b", release: 30, program: "device.mjs" },
      ],
    }),
  );
  return { world: s.world, devices: s.devices };
}

describe("applySet", () => {
  it("changes a world field in place", () => {
    const target = model();
    const server = target.world.server;
    applySet(target, "world.server.up", false);
    expect(server.up).toBe(false);
    applySet(target, "world.wifi.0.key", "new");
    expect(target.world.wifi[0]?.key).toBe("new");
  });

  it("fills defaults in partial objects, as at load", () => {
    const target = model();
    applySet(target, "world.wifi", [{ ssid: "cafe" }]);
    expect(target.world.wifi).toEqual([{ ssid: "cafe", key: "", wps: false, dhcp: true }]);
    applySet(target, "world.wifi.0", { ssid: "bar", wps: true });
    expect(target.world.wifi).toEqual([{ ssid: "bar", key: "", wps: true, dhcp: true }]);
    applySet(target, "world.proxies", [{ host: "p2" }]);
    expect(target.world.proxies).toEqual([{ host: "p2", port: 3128, up: true }]);
  });

  it("adds a DNS override for a dotted host name", () => {
    const target = model();
    applySet(target, "world.dns.names.proxy.lan", false);
    expect(target.world.dns.names).toEqual({ "proxy.lan": false });
  });

  it("does not keep a reference to the value it was given", () => {
    const target = model();
    const value = [{ ssid: "cafe" }];
    applySet(target, "world.wifi", value);
    applySet(target, "world.wifi.0.key", "k");
    expect(value).toEqual([{ ssid: "cafe" }]);
  });

  it("changes every copy through the base id", () => {
    const target = model();
    applySet(target, "devices.dev-a.cell.sim", "missing");
    expect(target.devices.map((d) => [d.id, d.cell.sim])).toEqual([
      ["dev-a-1", "missing"],
      ["dev-a-2", "missing"],
      ["dev-a-3", "missing"],
      ["dev-b", "ok"],
    ]);
    // each copy still has its own object
    expect(target.devices[0]?.cell).not.toBe(target.devices[1]?.cell);
  });

  it("changes one copy through its own id", () => {
    const target = model();
    applySet(target, "devices.dev-a-2.wifi", { ssid: "cafe" });
    applySet(target, "devices.dev-a-3.wifi", null);
    expect(target.devices.map((d) => d.wifi)).toEqual([
      { ssid: "home", key: "secret" },
      { ssid: "cafe", key: "" },
      undefined,
      { ssid: "home", key: "secret" },
    ]);
    expect("wifi" in (target.devices[2] ?? {})).toBe(false);
  });

  it("sets and clears a stored proxy", () => {
    const target = model();
    applySet(target, "devices.dev-a-1.proxy", { host: "proxy.lan" });
    expect(target.devices[0]?.proxy).toEqual({ host: "proxy.lan", port: 3128 });
    applySet(target, "devices.dev-a-1.proxy.port", 8080);
    expect(target.devices[0]?.proxy).toEqual({ host: "proxy.lan", port: 8080 });
    applySet(target, "devices.dev-a-1.proxy", null);
    expect(target.devices[0]?.proxy).toBeUndefined();
  });

  it("throws on an invalid set and changes nothing", () => {
    const target = model();
    const before = structuredClone(target);
    expect(() => applySet(target, "world.server.up", "no")).toThrow(ScenarioError);
    expect(() => applySet(target, "devices.nobody.wifi", null)).toThrow(/unknown device "nobody"/);
    // dev-b (release 30) cannot store a proxy, so the whole set fails
    expect(() => applySet(target, "devices.dev-b.proxy", { host: "p" })).toThrow(/release 34/);
    expect(target).toEqual(before);
    try {
      applySet(target, "world.server.up", "no");
    } catch (error) {
      expect((error as ScenarioError).issues).toEqual(['set["world.server.up"]: expected boolean, got "no"']);
    }
  });
});
