import { expect } from "vitest";
import type { Device } from "../../src/device/device.js";
import type { RootTable } from "../../src/device/api/root.js";
import { ImpnetError } from "../../src/errors.js";
import { Simulation } from "../../src/scenario/simulation.js";
import type { TimelineEvent, TimelineType } from "../../src/timeline/events.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import { inlineScenario } from "../support/simulate.js";
import type { Line, SimSpec } from "../support/simulate.js";

/** Helpers shared by the test/rules/api-*.test.ts files. */

/** join 2000 + dhcp 1000 + dns 50 + tcp 30 + tls 200 + session 100 (scenario.md). */
export const HEALTHY_WIFI_MS = 3380;
/** modem 1000 + sim 500 + registration 10000 + ppp 3000 + internet 1000 + dns 50 + tcp 30 + tls 200 + session 100. */
export const HEALTHY_CELL_MS = 15_880;

export type DeviceProgram = (root: RootTable, device: Device) => unknown;

export interface Bench {
  sim: Simulation;
  /** The first device of the scenario. */
  device: Device;
  root: RootTable;
  events: readonly TimelineEvent[];
  of<T extends TimelineType>(type: T, device?: string): Line<T>[];
}

/**
 * Like test/support/simulate.ts, but a program also receives its Device, so a
 * test can look at state the imp API does not expose (policy, sequence, model).
 */
export async function bench(spec: SimSpec, program: DeviceProgram = () => {}): Promise<Bench> {
  const scenario = inlineScenario(spec);
  const sink = new ArraySink();
  const devices: Device[] = [];
  const sim = await Simulation.create(scenario, {
    sink,
    programFor: () => (root: RootTable) => program(root, devices.find((d) => d.root === root)!),
  });
  devices.push(...sim.devices);
  await sim.run();
  const device = sim.devices[0]!;
  return {
    sim,
    device,
    root: device.root,
    events: sink.events,
    of: <T extends TimelineType>(type: T, id?: string) =>
      sink.events.filter((e): e is Line<T> => e.type === type && (id === undefined || e.device === id)),
  };
}

/** The error `fn` throws, or undefined. */
export function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** `fn` throws IMPNET_INVALID_ARGUMENT naming `argument`. */
export function expectInvalidArgument(fn: () => unknown, argument: string): void {
  const e = caught(fn);
  expect(e).toBeInstanceOf(ImpnetError);
  expect(e).toMatchObject({ code: "IMPNET_INVALID_ARGUMENT", argument });
}

/** `fn` throws a TypeError: the method is absent from the release's root table (R35). */
export function expectMissingMethod(fn: () => unknown): void {
  expect(caught(fn)).toBeInstanceOf(TypeError);
}

/** Everything a device API call could change, as plain data. */
export function snapshot(b: Bench): unknown {
  const d = b.device;
  return structuredClone({
    model: d.model,
    conn: d.conn,
    given: d.givenInterfaces,
    nv: d.nv,
    blinkup: d.blinkup,
    idle: d.idleHandler !== null,
    agentHandlers: [...(d.agentHandlers?.keys() ?? [])],
    clockTimers: b.sim.clock.pending(),
    lines: b.events.length,
  });
}

/** Calls `fn`, expects IMPNET_INVALID_ARGUMENT naming `argument`, and that nothing changed. */
export function expectRejected(b: Bench, fn: () => unknown, argument: string): void {
  const before = snapshot(b);
  expectInvalidArgument(fn, argument);
  expect(snapshot(b)).toEqual(before);
}

/** RETURN_ON_ERROR, WAIT_TIL_SENT, 10. */
export function returning(root: RootTable): void {
  root.server.setsendtimeoutpolicy(root.RETURN_ON_ERROR as number, root.WAIT_TIL_SENT as number, 10);
}

/** Runs `body` on a turn at virtual time `seconds` (after the boot window). */
export function at(seconds: number, body: DeviceProgram): DeviceProgram {
  return (root, device) => {
    root.imp.wakeup(Math.max(0, seconds - device.clock.now() / 1000), () => body(root, device));
  };
}
