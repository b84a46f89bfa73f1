import { fileURLToPath } from "node:url";
import type { AgentEntry } from "../../src/cloud/agent-runtime.js";
import type { RootTable } from "../../src/device/api/root.js";
import type { ProgramHost } from "../../src/device/device.js";
import { parseScenario } from "../../src/scenario/load.js";
import { Simulation } from "../../src/scenario/simulation.js";
import type { SimulationOptions } from "../../src/scenario/simulation.js";
import type { Scenario } from "../../src/scenario/types.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import type { TimelineEvent, TimelineType } from "../../src/timeline/events.js";

const FIXTURES = fileURLToPath(new URL("../scenario/fixtures/", import.meta.url));

/** A device program; `host` is given by the device (tests that call a program themselves may omit it). */
export type Program = (root: RootTable, host?: ProgramHost) => unknown;

export interface SimSpec {
  duration?: string | number;
  world?: Record<string, unknown>;
  devices?: Record<string, unknown>[];
  events?: Record<string, unknown>[];
  timing?: Record<string, unknown>;
  seed?: number;
}

export type Line<T extends TimelineType> = Extract<TimelineEvent, { type: T }>;

export interface SimRun {
  sim: Simulation;
  events: readonly TimelineEvent[];
  of<T extends TimelineType>(type: T, device?: string): Line<T>[];
}

/** An inline scenario, validated as a file would be; programs default to an empty fixture. */
export function inlineScenario(spec: SimSpec): Scenario {
  const raw = {
    duration: spec.duration ?? "5m",
    ...(spec.seed === undefined ? {} : { seed: spec.seed }),
    ...(spec.world === undefined ? {} : { world: spec.world }),
    devices: (spec.devices ?? [{ id: "dev" }]).map((d) => ({ program: "device.mjs", ...d })),
    ...(spec.events === undefined ? {} : { events: spec.events }),
    ...(spec.timing === undefined ? {} : { timing: spec.timing }),
  };
  return parseScenario(raw, "inline", FIXTURES);
}

/**
 * Runs a scenario given inline, with device programs as functions (keyed by
 * device id, or one for all). Programs default to one that does nothing.
 */
export async function simulate(
  spec: SimSpec,
  programs: Program | Record<string, Program> = () => {},
  agents: Record<string, AgentEntry> = {},
  options: Pick<SimulationOptions, "deployMs" | "turnLimitMs"> = {},
): Promise<SimRun> {
  const scenario = inlineScenario(spec);
  const sink = new ArraySink();
  const sim = await Simulation.create(scenario, {
    ...options,
    sink,
    programFor: (d) => (typeof programs === "function" ? programs : programs[d.baseId] ?? programs[d.id] ?? (() => {})),
    agentFor: (d) => agents[d.baseId],
  });
  await sim.run();
  const events = sink.events;
  return {
    sim,
    events,
    of: <T extends TimelineType>(type: T, device?: string) =>
      events.filter((e): e is Line<T> => e.type === type && (device === undefined || e.device === device)),
  };
}

/** Runs `fn` on the device at virtual second `seconds` (or at once if that has passed). */
export function at(root: RootTable, seconds: number, fn: () => unknown): void {
  root.imp.wakeup(Math.max(0, seconds * 1000 - root.hardware.millis()) / 1000, fn);
}
