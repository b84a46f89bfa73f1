import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { RootTable } from "../../src/device/api/root.js";
import type { Device } from "../../src/device/device.js";
import { ImpnetError, InvalidArgumentError, InvalidStateError, MessageTooLargeError } from "../../src/errors.js";
import { RELEASES } from "../../src/releases.js";
import { Simulation } from "../../src/scenario/simulation.js";
import type { TimelineEvent } from "../../src/timeline/events.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import { inlineScenario } from "../support/simulate.js";
import { explain, fuzz, hostile, nested, reportTried, TEST_MS } from "./fuzz-support.js";

/*
 * Hardening, point 4: the device API's arguments. A JavaScript program calls
 * the root table's functions with argument lists that are valid, then broken
 * by the fuzzer (one replaced by a hostile value, some dropped, extra ones,
 * or all junk). Each call returns, or throws InvalidArgumentError
 * (IMPNET_INVALID_ARGUMENT, naming the call and the argument) — or, where the
 * call is valid but not now, InvalidStateError, or MessageTooLargeError for a
 * message over the limit — and a call that throws changes nothing. Afterwards
 * the device still works: a later turn runs, server.isconnected() answers,
 * and server.log reaches the timeline when connected.
 */

afterAll(() => reportTried("device-api.fuzz.test.ts"));

/** The calls a program may make with any arguments. Left out: restart, disconnect (they act by design). */
const APIS = [
  "server.connect",
  "server.connectwith",
  "server.log",
  "server.error",
  "server.flush",
  "server.setsendtimeoutpolicy",
  "server.onunexpecteddisconnect",
  "server.sleepfor",
  "server.isconnected",
  "imp.wakeup",
  "imp.cancelwakeup",
  "imp.onidle",
  "imp.deepsleepfor",
  "imp.enableblinkup",
  "imp.setwificonfiguration",
  "imp.setproxy",
  "imp.setpowersave", // not in impnet's API: skipped where absent, like a call a release lacks
  "imp.clearconfiguration",
  "imp.sleep",
  "imp.setsendbuffersize",
  "imp.net.setserverinterfaces",
  "imp.net.getserverinterfaces",
  "imp.net.configurewps",
  "imp.net.info",
  "agent.send",
  "agent.on",
] as const;
type Api = (typeof APIS)[number];

const fn = () => {};
const seconds = (max: number) => fc.oneof(fc.integer({ min: 1, max }), fc.double({ min: 0.001, max, noNaN: true }));
const ifaceId = fc.constantFrom("wifi", "wl0", "ethernet", "eth0");
const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, fc.constant(null), fc.constant(undefined));
const validNic = fc.record(
  { interface: ifaceId, wificonfig: fc.record({ ssid: fc.string({ maxLength: 32 }), key: fc.string({ maxLength: 64 }) }, { requiredKeys: ["ssid"] }) },
  { requiredKeys: ["interface"] },
);

/**
 * Valid arguments for each call, for the fuzzer to break, so that every check
 * along a call is reached, not only its first. The calls that stop the program
 * (deepsleepfor, sleepfor) get only arguments they refuse; those that block it
 * (sleep, flush) block it 20 s at most.
 */
const VALID: Record<Api, fc.Arbitrary<readonly unknown[]>> = {
  "server.connect": fc.tuple(fc.constant(fn), seconds(60)),
  "server.connectwith": fc.tuple(validNic, fc.constant(fn), seconds(60)),
  "server.log": fc.tuple(fc.jsonValue({ maxDepth: 2 })),
  "server.error": fc.tuple(fc.jsonValue({ maxDepth: 2 })),
  "server.flush": fc.tuple(seconds(20)),
  "server.setsendtimeoutpolicy": fc.tuple(fc.constantFrom(0, 1, 2), fc.constantFrom(0, 1), seconds(60)),
  "server.onunexpecteddisconnect": fc.tuple(fc.constantFrom(fn, null)),
  "server.sleepfor": fc.tuple(fc.constantFrom(0, -1, "5")),
  "server.isconnected": fc.constant([]),
  "imp.wakeup": fc.tuple(fc.oneof(fc.constant(0), seconds(100)), fc.constant(fn)),
  "imp.cancelwakeup": fc.tuple(hostile()),
  "imp.onidle": fc.tuple(fc.constantFrom(fn, null)),
  "imp.deepsleepfor": fc.tuple(fc.constantFrom(0, -1, "5")),
  "imp.enableblinkup": fc.tuple(fc.boolean()),
  "imp.setwificonfiguration": fc.tuple(fc.string({ maxLength: 32 }), fc.string({ maxLength: 64 })),
  "imp.setproxy": fc.tuple(fc.constant(1), fc.string({ minLength: 1, maxLength: 64 }), fc.integer({ min: 0, max: 65535 }), maybe(fc.string({ maxLength: 32 })), maybe(fc.string({ maxLength: 32 }))),
  "imp.setpowersave": fc.tuple(fc.boolean()),
  "imp.clearconfiguration": fc.oneof(fc.constant([]), fc.tuple(fc.integer({ min: 1, max: 7 }))),
  "imp.sleep": fc.tuple(fc.oneof(fc.constant(0), seconds(20))),
  "imp.setsendbuffersize": fc.tuple(fc.integer({ min: 1, max: 1 << 24 })),
  "imp.net.setserverinterfaces": fc.tuple(fc.array(ifaceId, { maxLength: 3 })),
  "imp.net.getserverinterfaces": fc.constant([]),
  "imp.net.configurewps": fc.oneof(fc.constant([]), fc.constant(["12345678"])),
  "imp.net.info": fc.constant([]),
  "agent.send": fc.tuple(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 })),
  "agent.on": fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(fn, null)),
};

/** A nic table for server.connectwith, each field maybe hostile. */
const hostileNic = fc.record(
  {
    interface: fc.oneof({ weight: 3, arbitrary: ifaceId }, { weight: 1, arbitrary: fc.constantFrom("cell", "cell0", "wl1", "__proto__", "constructor", "toString", "") }, { weight: 1, arbitrary: hostile() }),
    wificonfig: fc.oneof(fc.record({ ssid: fc.oneof(fc.string({ maxLength: 40 }), hostile()), key: fc.oneof(fc.string({ maxLength: 70 }), hostile()) }, { requiredKeys: [] }), hostile()),
    proxyconfig: hostile(),
    staticconfig: hostile(),
    cellconfig: hostile(),
  },
  { requiredKeys: ["interface"] },
);
const hostileArgument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostile({ nonJson: true }) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(fn, Symbol("s"), 10n, new Uint8Array(3), "x".repeat(300 * 1024), nested(100), ["wifi", "wifi"], ["eth0", "bogus"], ["cell"], "12345678") },
  { weight: 2, arbitrary: hostileNic },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 70_000 }) },
);

const STOPS = new Set<Api>(["server.sleepfor", "imp.deepsleepfor"]);
const BLOCKS = new Set<Api>(["imp.sleep", "server.flush"]);
const isSeconds = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v > 0;

type Break = "none" | "replace" | "drop" | "extra" | "junk";
const call = fc
  .constantFrom(...APIS)
  .chain((api) =>
    fc.record({
      api: fc.constant(api),
      valid: VALID[api],
      how: fc.constantFrom<Break>("none", "replace", "replace", "replace", "drop", "extra", "junk"),
      at: fc.nat(),
      value: hostileArgument,
      junk: fc.array(hostileArgument, { maxLength: 5 }),
    }),
  )
  .map(({ api, valid, how, at, value, junk }) => {
    const args = [...valid];
    if (how === "replace") args[at % Math.max(1, args.length)] = value;
    else if (how === "drop") args.length = at % (args.length + 1);
    else if (how === "extra") args.push(value);
    return { api, args: how === "junk" ? junk : args };
  })
  .filter(({ api, args }) => !((STOPS.has(api) && isSeconds(args[0])) || (BLOCKS.has(api) && isSeconds(args[0]) && (args[0] as number) > 20)));
/** Half the runs first switch to RETURN_ON_ERROR, where connect takes a callback and connectwith is allowed. */
const run = fc
  .record({ release: fc.constantFrom(...RELEASES), returning: fc.boolean(), calls: fc.array(call, { minLength: 1, maxLength: 10 }) })
  .map(({ release, returning, calls }) => {
    const toReturning: { api: Api; args: unknown[] } = { api: "server.setsendtimeoutpolicy", args: [1, 0, 30] };
    return { release, calls: returning ? [toReturning, ...calls] : calls };
  });

/** What a device API call could change, as plain data (as test/rules/api-support.ts snapshots it). */
function snapshot(d: Device, sim: Simulation, events: readonly TimelineEvent[]): string {
  return JSON.stringify(
    structuredClone({
      model: d.model,
      conn: d.conn,
      given: d.givenInterfaces,
      nv: d.nv,
      blinkup: d.blinkup,
      buffer: d.sendBufferSize,
      idle: d.idleHandler !== null,
      agentHandlers: [...(d.agentHandlers?.keys() ?? [])],
      clockTimers: sim.clock.pending(),
      lines: events.length,
    }),
  );
}

function lookup(root: RootTable, api: Api): ((...args: unknown[]) => unknown) | undefined {
  let v: unknown = root;
  for (const part of api.split(".")) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[part] : undefined;
  return typeof v === "function" ? (v as (...args: unknown[]) => unknown) : undefined;
}

function describeArg(a: unknown): string {
  if (typeof a === "function") return "fn";
  if (typeof a === "symbol" || typeof a === "bigint") return String(a);
  try {
    const s = JSON.stringify(a);
    return s === undefined ? String(a) : s.length > 60 ? `${s.slice(0, 60)}…` : s;
  } catch {
    return Object.prototype.toString.call(a);
  }
}

/** Null when `e` is a clear error for a call of `api`; else what is wrong with it. */
function judge(api: Api, e: unknown): string | null {
  if (!(e instanceof ImpnetError)) return `threw ${explain(e)}`;
  if (!e.message.startsWith(`${api}: `)) return `the message does not name ${api}: ${e.message}`;
  if (e instanceof InvalidArgumentError) {
    if (e.code !== "IMPNET_INVALID_ARGUMENT" || e.api !== api || typeof e.argument !== "string" || e.argument === "") return `an InvalidArgumentError without its argument: ${e.message}`;
    return null;
  }
  if (e instanceof InvalidStateError || e instanceof MessageTooLargeError) return null;
  return `threw ${explain(e)}`;
}

interface Report {
  problems: string[];
  /** Calls that returned (and so may have acted). */
  returned: number;
  alive: { log: unknown; connected: unknown } | undefined;
  events: readonly TimelineEvent[];
  device?: Device;
}

/** Runs `calls` on the first turn of a connected device, then checks it at 60 s. */
async function exercise(release: number, calls: readonly { api: Api; args: unknown[] }[]): Promise<Report> {
  const scenario = inlineScenario({ duration: "2m", devices: [{ id: "dev", release, interfaces: ["wifi", "ethernet"] }] });
  const sink = new ArraySink();
  const report: Report = { problems: [], returned: 0, alive: undefined, events: sink.events };
  const made: { sim?: Simulation } = {};
  const program = (root: RootTable) => {
    const sim = made.sim!;
    const device = sim.devices[0]!;
    for (const { api, args } of calls) {
      const f = lookup(root, api);
      if (f === undefined) continue;
      const before = snapshot(device, sim, sink.events);
      const label = `${api}(${args.map(describeArg).join(", ")})`;
      try {
        const r = f(...args);
        report.returned++;
        if (r instanceof Promise) r.then(undefined, (e: unknown) => report.problems.push(`${label} rejected: ${explain(e)}`));
      } catch (e) {
        const wrong = judge(api, e);
        if (wrong !== null) report.problems.push(`${label}: ${wrong}`);
        const after = snapshot(device, sim, sink.events);
        if (after !== before) report.problems.push(`${label} threw but changed the device:\n  before ${before}\n  after  ${after}`);
      }
    }
    root.imp.wakeup(60, () => {
      report.alive = { log: root.server.log("alive"), connected: root.server.isconnected() };
    });
  };
  const sim = (made.sim = await Simulation.create(scenario, { sink, programFor: () => program }));
  await sim.run();
  report.device = sim.devices[0]!;
  return report;
}

describe("hostile input: the device API's arguments (Hardening 4)", () => {
  it("each call returns or throws a clear ImpnetError naming it (and its argument); a call that throws changes nothing; the device goes on", async () => {
    await fuzz(
      "device API calls",
      fc.asyncProperty(run, async ({ release, calls }) => {
        const r = await exercise(release, calls);
        if (r.problems.length > 0) throw new Error(r.problems.join("\n"));
        const crashes = r.events.filter((e) => e.type === "error");
        if (crashes.length > 0) throw new Error(`the program crashed: ${JSON.stringify(crashes)}`);
        // the later turn ran and the API answered it
        expect(r.alive).toBeDefined();
        expect(typeof r.alive!.connected).toBe("boolean");
        expect(typeof r.alive!.log === "number" || r.alive!.log instanceof Promise).toBe(true);
        // connected, the log goes out; and when every call was refused, the device is as if none was made
        if (r.alive!.connected === true || r.returned === 0) expect(r.events.some((e) => e.type === "log" && e.text === "alive")).toBe(true);
        // what the device stores is still well-formed (valid calls may have changed it)
        const { model } = r.device!;
        expect(model.release).toBe(release);
        expect(model.interfaces).toEqual(["wifi", "ethernet"]);
        if (model.wifi !== undefined) expect([typeof model.wifi.ssid, typeof model.wifi.key]).toEqual(["string", "string"]);
        if (model.proxy !== undefined) {
          expect(typeof model.proxy.host === "string" && model.proxy.host !== "").toBe(true);
          expect(Number.isInteger(model.proxy.port) && model.proxy.port >= 0 && model.proxy.port <= 65535).toBe(true);
        }
      }),
      { numRuns: 1000, ms: 3000, timeout: 3000 },
    );
  }, TEST_MS);
});
