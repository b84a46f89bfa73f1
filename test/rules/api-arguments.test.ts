import { describe, expect, it } from "vitest";
import { describe as show } from "../../src/errors.js";
import type { Bench } from "./api-support.js";
import { bench, caught, expectRejected, returning, snapshot } from "./api-support.js";

/*
 * Every argument check of src/device/api/*.ts: a bad argument throws
 * IMPNET_INVALID_ARGUMENT naming the argument, and the device is as it was.
 * (setsendtimeoutpolicy: api-policy; setproxy, clearconfiguration, configurewps:
 * api-config; setserverinterfaces: api-interfaces.)
 */

type Call = (b: Bench) => unknown;
type Case = [string, Call, string];

/** A connected device on the newest release, under RETURN_ON_ERROR. */
async function connectedReturning(): Promise<Bench> {
  const b = await bench({ duration: "5s", devices: [{ id: "dev", interfaces: ["wifi", "cell"] }] });
  returning(b.root);
  expect(b.root.server.isconnected()).toBe(true);
  return b;
}

/** An offline device under RETURN_ON_ERROR: a connect() that got through would start an attempt. */
async function offlineReturning(): Promise<Bench> {
  const b = await bench({ duration: "15s", world: { server: { up: false } }, devices: [{ id: "dev", interfaces: ["wifi", "cell"] }] });
  returning(b.root);
  b.root.server.disconnect();
  expect(b.device.conn.phase).toBe("idle");
  return b;
}

/** An API object with its methods callable with any arguments, as a JavaScript program may. */
const loose = (api: object) => api as Record<string, (...a: unknown[]) => unknown>;
const fn = () => {};
const cyclic: Record<string, unknown> = {};
cyclic.self = cyclic;
const deep = (n: number): unknown => (n === 0 ? 1 : { a: deep(n - 1) });
const notFunctions: unknown[] = [undefined, 5, "cb", {}, [fn]];

describe("R04 R06 server.connect() under RETURN_ON_ERROR: argument checks", () => {
  const cases: Case[] = [
    ...notFunctions.map((v): Case => [`callback ${show(v)}`, (b) => loose(b.root.server).connect!(v, 30), "callback"]),
    ["callback null", (b) => loose(b.root.server).connect!(null, 30), "callback"],
    ...[0, -1, NaN, Infinity, "30", null, {}].map((v): Case => [`timeout ${show(v)}`, (b) => loose(b.root.server).connect!(fn, v), "timeout"]),
  ];
  it.each(cases)("R06 %s throws and starts nothing", async (_name, call, argument) => {
    const b = await offlineReturning();
    expectRejected(b, () => call(b), argument);
    expect(b.device.conn.attempt).toBeNull();
  });

  it("R06 before 30 a missing timeout throws (IMPNET_INVALID_STATE) and starts nothing", async () => {
    const b = await bench({ duration: "15s", world: { server: { up: false } }, devices: [{ id: "dev", release: 28 }] });
    returning(b.root);
    b.root.server.disconnect();
    const before = snapshot(b);
    expect(caught(() => b.root.server.connect(fn))).toMatchObject({ code: "IMPNET_INVALID_STATE" });
    expect(snapshot(b)).toEqual(before);
  });
});

describe("R18 server.connectwith(): argument checks", () => {
  const nic = (extra: Record<string, unknown>) => ({ interface: "wifi", ...extra });
  const cases: Case[] = [
    ...[null, undefined, "wifi", 5, [{ interface: "wifi" }]].map((v): Case => [`nic ${show(v)}`, (b) => loose(b.root.server).connectwith!(v, fn, 30), "nic"]),
    ...["bogus", "wl1", "ethernet", "eth0", 5, undefined].map((v): Case => [`nic.interface ${show(v)}`, (b) => loose(b.root.server).connectwith!({ interface: v }, fn, 30), "nic.interface"]),
    ...[null, "home", 5, []].map((v): Case => [`nic.wificonfig ${show(v)}`, (b) => loose(b.root.server).connectwith!(nic({ wificonfig: v }), fn, 30), "nic.wificonfig"]),
    ...[undefined, 5, "x".repeat(33)].map((v): Case => [`nic.wificonfig.ssid ${show(v).slice(0, 12)}`, (b) => loose(b.root.server).connectwith!(nic({ wificonfig: { ssid: v, key: "k" } }), fn, 30), "nic.wificonfig.ssid"]),
    ...[5, {}, "x".repeat(65)].map((v): Case => [`nic.wificonfig.key ${show(v).slice(0, 12)}`, (b) => loose(b.root.server).connectwith!(nic({ wificonfig: { ssid: "home", key: v } }), fn, 30), "nic.wificonfig.key"]),
    ...(["proxyconfig", "staticconfig", "cellconfig"] as const).map((opt): Case => [`nic.${opt} not an object`, (b) => loose(b.root.server).connectwith!(nic({ [opt]: "x" }), fn, 30), `nic.${opt}`]),
    ...notFunctions.map((v): Case => [`callback ${show(v)}`, (b) => loose(b.root.server).connectwith!(nic({}), v, 30), "callback"]),
    ...[0, -5, NaN, "30", null].map((v): Case => [`timeout ${show(v)}`, (b) => loose(b.root.server).connectwith!(nic({}), fn, v), "timeout"]),
  ];
  it.each(cases)("R18 %s throws and starts nothing", async (_name, call, argument) => {
    const b = await offlineReturning();
    expectRejected(b, () => call(b), argument);
    expect(b.device.conn.attempt).toBeNull();
  });

  it("R18 accepts the limits: ssid 32, key 64, key omitted", async () => {
    for (const wificonfig of [{ ssid: "s".repeat(32), key: "k".repeat(64) }, { ssid: "open" }]) {
      const b = await offlineReturning();
      expect(caught(() => b.root.server.connectwith!({ interface: "wl0", wificonfig }, fn, 30))).toBeUndefined();
      expect(b.device.conn.attempt).toMatchObject({ iface: "wifi" });
    }
  });
});

describe("R32 server.flush(): argument checks", () => {
  it.each([[0], [-1], [NaN], [Infinity], ["1"], [undefined], [null]])("R32 timeout %o throws, naming timeout", async (v) => {
    const b = await connectedReturning();
    expectRejected(b, () => b.root.server.flush(v as number), "timeout");
  });
});

describe("R23 server.onunexpecteddisconnect(): argument checks", () => {
  it.each(notFunctions.map((v) => [v]))("R23 callback %o throws, naming callback", async (v) => {
    const b = await connectedReturning();
    expectRejected(b, () => b.root.server.onunexpecteddisconnect(v as () => void), "callback");
  });

  it("R23 null is accepted: it removes the handler", async () => {
    const b = await connectedReturning();
    expect(caught(() => b.root.server.onunexpecteddisconnect(null))).toBeUndefined();
  });
});

describe("R33 agent.send() and agent.on(): argument checks", () => {
  it.each([[5], [null], [undefined], [{}], [Symbol("x")]])("R33 agent.send name %o throws, naming name", async (v) => {
    const b = await connectedReturning();
    expectRejected(b, () => b.root.agent.send(v as string, 1), "name");
  });

  const badData: [string, unknown][] = [
    ["a function", fn],
    ["NaN", NaN],
    ["Infinity", [1, Infinity]],
    ["a symbol", { s: Symbol("x") }],
    ["a bigint", 10n],
    ["a cyclic object", cyclic],
    ["a Date", new Date(0)],
    ["a Map", new Map()],
    ["nesting over 64 levels", deep(70)],
  ];
  it.each(badData)("R33 agent.send data that JSON cannot carry (%s) throws, naming data", async (_name, data) => {
    const b = await connectedReturning();
    expectRejected(b, () => b.root.agent.send("m", data), "data");
  });

  it("R33 agent.send of more than 256 KB throws IMPNET_MESSAGE_TOO_LARGE and sends nothing", async () => {
    const b = await connectedReturning();
    const before = snapshot(b);
    expect(caught(() => b.root.agent.send("big", new Uint8Array(256 * 1024 + 1)))).toMatchObject({ code: "IMPNET_MESSAGE_TOO_LARGE" });
    expect(snapshot(b)).toEqual(before);
  });

  it.each([[5], [null], [undefined]])("R33 agent.on name %o throws, naming name", async (v) => {
    const b = await connectedReturning();
    expectRejected(b, () => b.root.agent.on(v as unknown as string, fn), "name");
  });

  it.each([[5], ["handler"], [undefined], [{}]])("R33 agent.on handler %o throws, naming handler", async (v) => {
    const b = await connectedReturning();
    b.root.agent.on("kept", fn);
    expectRejected(b, () => b.root.agent.on("kept", v as () => void), "handler");
    expect([...b.device.agentHandlers?.keys() ?? []]).toEqual(["kept"]);
  });
});

describe("R28 imp.setwificonfiguration(): argument checks", () => {
  const cases: Case[] = [
    ["ssid not a string", (b) => loose(b.root.imp).setwificonfiguration!(5, "key"), "ssid"],
    ["ssid missing", (b) => loose(b.root.imp).setwificonfiguration!(undefined, "key"), "ssid"],
    ["ssid over 32 characters", (b) => b.root.imp.setwificonfiguration("s".repeat(33), "key"), "ssid"],
    ["key not a string", (b) => loose(b.root.imp).setwificonfiguration!("home", 5), "key"],
    ["key missing", (b) => loose(b.root.imp).setwificonfiguration!("home"), "key"],
    ["key over 64 characters", (b) => b.root.imp.setwificonfiguration("home", "k".repeat(65)), "key"],
  ];
  it.each(cases)("R28 %s throws and keeps the stored network", async (_name, call, argument) => {
    const b = await connectedReturning();
    expectRejected(b, () => call(b), argument);
    expect(b.device.model.wifi).toEqual({ ssid: "home", key: "secret" });
  });

  it("R28 accepts the limits: ssid 32, key 64, an empty key", async () => {
    const b = await connectedReturning();
    b.root.imp.setwificonfiguration("s".repeat(32), "k".repeat(64));
    expect(b.device.model.wifi).toEqual({ ssid: "s".repeat(32), key: "k".repeat(64) });
    b.root.imp.setwificonfiguration("open", "");
    expect(b.device.model.wifi).toEqual({ ssid: "open", key: "" });
  });
});

describe("imp timers, sleep and blinkup: argument checks (no rule of their own)", () => {
  const cases: Case[] = [
    ...[-1, NaN, Infinity, "1", undefined, null].map((v): Case => [`imp.wakeup seconds ${show(v)}`, (b) => loose(b.root.imp).wakeup!(v, fn), "seconds"]),
    ...notFunctions.map((v): Case => [`imp.wakeup callback ${show(v)}`, (b) => loose(b.root.imp).wakeup!(1, v), "callback"]),
    ...[5, "cb", undefined, {}].map((v): Case => [`imp.onidle callback ${show(v)}`, (b) => loose(b.root.imp).onidle!(v), "callback"]),
    ...[0, -1, NaN, Infinity, "5", undefined].map((v): Case => [`imp.deepsleepfor seconds ${show(v)}`, (b) => loose(b.root.imp).deepsleepfor!(v), "seconds"]),
    ...[1, 0, "true", undefined, null].map((v): Case => [`imp.enableblinkup on ${show(v)}`, (b) => loose(b.root.imp).enableblinkup!(v), "on"]),
  ];
  it.each(cases)("%s throws and changes nothing", async (_name, call, argument) => {
    const b = await connectedReturning();
    expectRejected(b, () => call(b), argument);
  });

  it("valid calls are accepted: wakeup(0), onidle(null), enableblinkup(false)", async () => {
    const b = await connectedReturning();
    expect(caught(() => b.root.imp.wakeup(0, fn))).toBeUndefined();
    expect(caught(() => b.root.imp.onidle(null))).toBeUndefined();
    b.root.imp.enableblinkup(false);
    expect(b.device.blinkup).toBe(false);
  });
});
