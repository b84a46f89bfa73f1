import { describe, expect, it } from "vitest";
import { issuesOf, minimal, parse } from "./helpers.js";

const program = "device.mjs";

describe("invalid scenarios", () => {
  it("a run lasts more than 0 ms and at most 366 days: 1e15 would run unbounded, 0 would print nothing", () => {
    expect(issuesOf(minimal({ duration: 1e15 }))).toEqual(["duration: at most 366 days (31622400000 ms) of virtual time (got 1000000000000000 ms)"]);
    expect(issuesOf(minimal({ duration: 0 }))).toEqual(["duration: a run must last more than 0 ms"]);
    expect(issuesOf(minimal({ duration: "0s" }))).toEqual(["duration: a run must last more than 0 ms"]);
    expect(parse(minimal({ duration: "8784h" })).durationMs).toBe(366 * 24 * 3_600_000);
  });

  it("a program that is a directory is named as one, not as a missing file", () => {
    expect(issuesOf(minimal({ devices: [{ id: "dev-a", program: "." }] }))).toEqual([expect.stringMatching(/^devices\[0\]\.program: is a directory, not a program file: /)]);
  });

  it("one device id rule everywhere: dots allowed and usable in event paths, at most 64 characters, counted copies included", () => {
    const ok = parse(minimal({ devices: [{ id: "gw.1", program: "./device.mjs" }], events: [{ at: "10s", set: { "devices.gw.1.wifi": { ssid: "x", key: "k" } } }] }));
    expect(ok.devices.map((d) => d.id)).toEqual(["gw.1"]);
    expect(issuesOf(minimal({ devices: [{ id: "x".repeat(64), program: "./device.mjs" }, { id: "x".repeat(65), program: "./device.mjs" }] }))).toEqual([
      "devices[1].id: expected 1-64 of A-Z a-z 0-9 . _ - (the same rule as impnet device add)",
    ]);
    expect(issuesOf(minimal({ devices: [{ id: "x".repeat(62), program: "./device.mjs", count: 100 }] }))).toEqual(["devices[0].id: with count 100 the ids reach 66 characters: an id is at most 64"]);
  });

  it("report every bad field at once, each with its path", () => {
    const issues = issuesOf({
      duration: "20x",
      seed: 1.5,
      world: { server: { up: "yes", failure: "drop" }, wifi: [{ ssid: "a" }, { ssid: 3 }], proxies: [{ port: 0 }] },
      devices: [
        { id: "bad id", release: 41, interfaces: ["wifi", "usb"], program: "./missing.mjs", quirks: ["x"], count: 0 },
        { id: "old", release: 30, proxy: { host: "proxy.lan" }, program },
        { program },
      ],
      events: [{ set: { "world.server.up": false } }],
      timing: { wps: "soon" },
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^duration: expected a duration.*cannot read "20x"/),
        "seed: expected integer, got 1.5",
        'world.server.up: expected boolean, got "yes"',
        'world.server.failure: expected one of refuse, blackhole, got "drop"',
        "world.wifi[1].ssid: expected string, got 3",
        "world.proxies[0].host: required",
        "world.proxies[0].port: expected at least 1",
        "devices[0].id: expected 1-64 of A-Z a-z 0-9 . _ - (the same rule as impnet device add)",
        "devices[0].release: expected one of 28, 30, 34, 36, 38, 40, 42, got 41",
        'devices[0].interfaces[1]: expected one of wifi, ethernet, cell, got "usb"',
        'devices[0].quirks[0]: expected sticky-no-server, got "x"',
        "devices[0].count: expected at least 1",
        expect.stringMatching(/^devices\[0\]\.program: file not found: .*missing\.mjs$/),
        "devices[1].proxy: a stored proxy needs release 34 or newer (this device is 30)",
        "devices[2].id: required",
        "events[0].at: required",
        expect.stringMatching(/^timing\.wps: expected a duration/),
      ]),
    );
    expect(issues).toHaveLength(17);
  });

  it("require duration and at least one device", () => {
    expect(issuesOf({ devices: [{ id: "a", program }] })).toEqual(["duration: required"]);
    expect(issuesOf({ duration: "1m" })).toEqual(["devices: required"]);
    expect(issuesOf({ duration: "1m", devices: [] })).toEqual(["devices: expected at least 1 entry"]);
  });

  it("report unknown keys at every level", () => {
    const issues = issuesOf(
      minimal({
        wrld: {},
        world: { servr: {}, wifi: [{ ssid: "home", kye: "x" }], dns: { name: {} } },
        devices: [{ id: "a", program, relase: 30, cell: { simm: "ok" } }],
        events: [{ at: 0, set: { "world.server.up": true }, when: 1 }],
        timing: { wifijoin: "3s" },
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        "wrld: unknown field",
        "world.servr: unknown field",
        "world.wifi[0].kye: unknown field",
        "world.dns.name: unknown field",
        "devices[0].relase: unknown field",
        "devices[0].cell.simm: unknown field",
        "events[0].when: unknown field",
        "timing.wifijoin: unknown field",
      ]),
    );
    expect(issues).toHaveLength(8);
  });

  it("reject duplicate and missing interfaces", () => {
    expect(issuesOf(minimal({ devices: [{ id: "a", interfaces: ["wifi", "cell", "wifi"], program }] }))).toEqual([
      "devices[0].interfaces[2]: duplicate interface wifi",
    ]);
    expect(issuesOf(minimal({ devices: [{ id: "a", interfaces: [], program }] }))).toEqual(["devices[0].interfaces: expected at least 1 entry"]);
  });

  it("check the agent file too", () => {
    expect(issuesOf(minimal({ devices: [{ id: "a", agent: "./nope.mjs", program }] }))).toEqual([
      expect.stringMatching(/^devices\[0\]\.agent: file not found: \/.*nope\.mjs$/),
    ]);
  });

  it("reject an event after the end of the run", () => {
    expect(issuesOf(minimal({ duration: "10m", events: [{ at: "10m1ms", set: { "world.server.up": false } }] }))).toEqual([
      "events[0].at: 600001 ms is after the end of the run (duration 600000 ms)",
    ]);
  });

  it("print dotted host names in brackets", () => {
    expect(issuesOf(minimal({ world: { dns: { names: { "proxy.lan": "no" } } } }))).toEqual([
      'world.dns.names["proxy.lan"]: expected boolean, got "no"',
    ]);
  });
});

describe("count", () => {
  it("expands a device into numbered copies", () => {
    const s = parse(minimal({ devices: [{ id: "dev-a", count: 3, program }, { id: "dev-b", program }] }));
    expect(s.devices.map((d) => [d.id, d.baseId])).toEqual([
      ["dev-a-1", "dev-a"],
      ["dev-a-2", "dev-a"],
      ["dev-a-3", "dev-a"],
      ["dev-b", "dev-b"],
    ]);
  });

  it("gives every copy its own objects", () => {
    const [a, b] = parse(minimal({ devices: [{ id: "d", count: 2, program }] })).devices;
    expect(a?.wifi).toEqual(b?.wifi);
    expect(a?.wifi).not.toBe(b?.wifi);
    expect(a?.cell).not.toBe(b?.cell);
  });

  it("rejects ids that clash after expansion", () => {
    expect(issuesOf(minimal({ devices: [{ id: "a", count: 3, program }, { id: "a-2", program }] }))).toEqual([
      'devices[1].id: "a-2" is also the id of devices[0]',
    ]);
    expect(issuesOf(minimal({ devices: [{ id: "b", program }, { id: "b", program }] }))).toEqual(['devices[1].id: "b" is also the id of devices[0]']);
  });

  it("rejects a count that is not a positive integer", () => {
    expect(issuesOf(minimal({ devices: [{ id: "a", count: 2.5, program }] }))).toEqual(["devices[0].count: expected integer, got 2.5"]);
  });
});

describe("event paths", () => {
  const world = { wifi: [{ ssid: "home", key: "secret" }] };
  const devices = [
    { id: "dev-a", count: 3, program },
    { id: "old", release: 30, interfaces: ["ethernet"], program },
  ];
  const withSets = (...sets: Record<string, unknown>[]) => minimal({ world, devices, events: sets.map((set, i) => ({ at: `${i}m`, set })) });

  it("accept paths into the world and the devices", () => {
    const s = parse(
      withSets({
        "world.server.up": false,
        "world.server.failure": "blackhole",
        "world.wifi.0.key": "changed",
        "world.wifi": [{ ssid: "other" }],
        "world.dns.names.proxy.lan": false,
        "world.dns.names.new-host": true,
        "world.proxies": [{ host: "proxy.lan" }],
        "world.cell.registration": "denied",
        "devices.dev-a.cell.sim": "missing",
        "devices.dev-a-2.wifi": null,
        "devices.dev-a.proxy": { host: "proxy.lan", port: 8080 },
        "devices.dev-a.quirks": ["sticky-no-server"],
        "devices.old.wifi": { ssid: "home" },
      }),
    );
    expect(s.events).toHaveLength(1);
    // validation plays the sets on a copy: the loaded model is untouched
    expect(s.world.server.up).toBe(true);
    expect(s.devices[1]?.wifi).toEqual({ ssid: "home", key: "secret" });
  });

  it("play earlier events before checking later ones", () => {
    expect(() => parse(withSets({ "devices.old.wifi": { ssid: "x" } }, { "devices.old.wifi.key": "k" }))).not.toThrow();
    expect(() => parse(withSets({ "world.proxies": [{ host: "p" }] }, { "world.proxies.0.user": "imp" }))).not.toThrow();
    // and in time order, not file order
    const late = { at: "5m", set: { "devices.old.wifi.key": "k" } };
    const early = { at: "1m", set: { "devices.old.wifi": { ssid: "x" } } };
    expect(() => parse(minimal({ world, devices, events: [late, early] }))).not.toThrow();
  });

  it("report unknown paths", () => {
    expect(
      issuesOf(
        withSets({
          "world.servr.up": true,
          "world.server.upp": true,
          "world.wifi.1.key": "k",
          "world.wifi.x": "k",
          "world.__proto__.x": 1,
          world: {},
          "foo.bar": 1,
          "devices.nobody.wifi": null,
          "devices.dev-a.release": 30,
          "devices.old.wifi.key": "k",
        }),
      ),
    ).toEqual([
      'events[0].set["world.servr.up"]: unknown path: world.servr does not exist',
      'events[0].set["world.server.upp"]: unknown path: world.server.upp does not exist',
      'events[0].set["world.wifi.1.key"]: unknown path: world.wifi.1 does not exist (the list has 1 entry)',
      'events[0].set["world.wifi.x"]: unknown path: world.wifi.x does not exist (the list has 1 entry)',
      'events[0].set["world.__proto__.x"]: unknown path: world.__proto__ does not exist',
      'events[0].set.world: unknown path: name a field of the world, like "world.server.up"',
      'events[0].set["foo.bar"]: unknown path: a path starts with "world." or "devices."',
      'events[0].set["devices.nobody.wifi"]: unknown device "nobody"',
      "events[0].set[\"devices.dev-a.release\"]: unknown path: an event can set a device's wifi, proxy, cell, quirks",
      'events[0].set["devices.old.wifi.key"]: unknown path: devices.old.wifi does not exist',
    ]);
  });

  it("report values of the wrong type, by path", () => {
    expect(
      issuesOf(
        withSets(
          { "world.server.up": "no" },
          {
            "world.wifi": [{ ssid: 3 }],
            "world.wifi.0": { ssid: "x", foo: 1 },
            "devices.dev-a-1.wifi.key": 5,
            "devices.dev-a.cell": { modem: false, extra: 1 },
            "devices.old.proxy": { host: "p" },
          },
        ),
      ),
    ).toEqual([
      'events[0].set["world.server.up"]: expected boolean, got "no"',
      'events[1].set["world.wifi"][0].ssid: expected string, got 3',
      'events[1].set["world.wifi.0"].foo: unknown field',
      'events[1].set["devices.dev-a-1.wifi.key"]: expected string, got a number (not shown)',
      'events[1].set["devices.dev-a.cell"].extra: unknown field',
      'events[1].set["devices.old.proxy"]: a stored proxy needs release 34 or newer (this device is 30)',
    ]);
  });

  it("are still checked when other parts of the file are bad", () => {
    const issues = issuesOf({ ...withSets({ "world.server.up": "no" }), timing: { wps: "soon" } });
    expect(issues).toContain('events[0].set["world.server.up"]: expected boolean, got "no"');
    expect(issues).toHaveLength(2);
  });
});
