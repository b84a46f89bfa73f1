import path from "node:path";
import { wallMs } from "../clock/real-clock.js";
import type { ProgramEntry } from "../device/device.js";
import { ImpnetError } from "../errors.js";
import { loadDeviceProgram, programFileProblem } from "../scenario/load-program.js";
import type { ProgramLoadOptions } from "../scenario/load-program.js";
import { Simulation } from "../scenario/simulation.js";
import type { Scenario } from "../scenario/types.js";
import { FleetSink } from "./fleet-sink.js";
import type { FleetFigures } from "./fleet-sink.js";
import { BUILT_IN_STRATEGIES } from "./strategies.js";

export interface Strategy {
  name: string;
  what: string;
  program: ProgramEntry;
}

export interface StrategyRun {
  strategy: Strategy;
  figures: FleetFigures;
  /** The disruption starts here: the scenario's first event (0 without events); the peak is sought from here on. */
  sinceMs: number;
  /** Recovery is timed from here: the scenario's last event (0 without events). */
  fromMs: number;
  wallMs: number;
  /** Timers the simulation fired. */
  events: number;
}

export class UnknownStrategyError extends ImpnetError {
  constructor(name: string) {
    super("IMPNET_UNKNOWN_STRATEGY", `--strategy: "${name}" is neither a strategy impnet knows (${Object.keys(BUILT_IN_STRATEGIES).join(", ")}) nor a program file`);
  }
}

/** Where a fleet's figures are read: the disruption from the scenario's first event on, recovery timed from its last (0 without events). */
export function fleetWindow(scenario: Scenario): { sinceMs: number; fromMs: number } {
  const fromMs = scenario.events.reduce((last, e) => Math.max(last, e.atMs), 0);
  return { fromMs, sinceMs: scenario.events.reduce((first, e) => Math.min(first, e.atMs), fromMs) };
}

/** A strategy by name: one of impnet's, or a device program file (JavaScript, TypeScript or Squirrel) named by its path. */
export async function resolveStrategy(name: string, load: ProgramLoadOptions = {}): Promise<Strategy> {
  const known = BUILT_IN_STRATEGIES[name];
  if (known !== undefined) return { name, ...known };
  const file = path.resolve(name);
  if (programFileProblem(file) !== null) throw new UnknownStrategyError(name);
  return { name: path.basename(name), what: `the program ${name}`, program: await loadDeviceProgram(file, load) };
}

/**
 * Runs the scenario's fleet once with every device running the strategy's
 * program (the scenario's own device programs are set aside; its agents run),
 * counting rather than keeping its timeline.
 */
export async function runStrategy(scenario: Scenario, strategy: Strategy, options: { turnLimitMs?: number; onProgress?: (virtualMs: number, events: number) => void } = {}): Promise<StrategyRun> {
  const { sinceMs, fromMs } = fleetWindow(scenario);
  const sink = new FleetSink(
    scenario.devices.map((d) => d.id),
    scenario.durationMs,
    fromMs,
  );
  const started = wallMs();
  const sim = await Simulation.create(scenario, {
    sink,
    programFor: () => strategy.program,
    ...(options.turnLimitMs === undefined ? {} : { turnLimitMs: options.turnLimitMs }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  await sim.run();
  return { strategy, figures: sink.figures(), sinceMs, fromMs, wallMs: wallMs() - started, events: sim.clock.fired };
}
