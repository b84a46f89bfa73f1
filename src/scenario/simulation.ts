import { checkFleetFits } from "./fleet-memory.js";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { drainMicrotasks, wallMs } from "../clock/real-clock.js";
import { PromiseActivity } from "../clock/promise-activity.js";
import { DEFAULT_TURN_LIMIT_MS, isSelfBounded, runGuarded } from "../clock/turn-guard.js";
import { VirtualClock } from "../clock/virtual-clock.js";
import { AgentRuntime } from "../cloud/agent-runtime.js";
import type { AgentEntry } from "../cloud/agent-runtime.js";
import { Device } from "../device/device.js";
import type { ProgramEntry } from "../device/device.js";
import { ProgramStoppedError } from "../errors.js";
import { isSquirrel, loadAgentProgram, loadDeviceProgram } from "./load-program.js";
import type { Outbound } from "../network/port.js";
import { SimWorld } from "../network/sim/sim-world.js";
import type { SimServer } from "../network/sim/sim-world.js";
import type { TimelineSink } from "../timeline/events.js";
import { redactSet } from "../timeline/redact.js";
import { applySet } from "./apply-set.js";
import { copyPlain } from "./copy-plain.js";
import { seededRandom } from "./random.js";
import type { DeviceModel, Scenario } from "./types.js";

export interface SimulationOptions {
  sink: TimelineSink;
  /** Supplies a device's program in place of its file (tests, benches). */
  programFor?: (device: DeviceModel) => ProgramEntry | undefined;
  agentFor?: (device: DeviceModel) => AgentEntry | undefined;
  /** Builder variables for Squirrel programs (--var NAME=VALUE). */
  vars?: Readonly<Record<string, string>>;
  /**
   * Deploy each device's program to it once online, `ms` before it runs, with
   * its agent (re)started as the deploy begins: the session impt sets up. By
   * default programs are on the devices at power-on and agents run from the start.
   */
  deployMs?: number;
  /** How long one program turn may run, in wall time, before it is stopped as a runaway (default 10 s). */
  turnLimitMs?: number;
  /** Called about every PROGRESS_MS of wall time while the run goes on (a progress line). */
  onProgress?: (virtualMs: number, timersFired: number) => void;
}

/** How often a run reports its progress, in wall time. */
export const PROGRESS_MS = 250;

type Step = "drain" | "end" | "more";

/** Wall time one watchdog covers when nothing needs a drain sooner: short beside any turn limit. */
const STRETCH_MS = 100;

/**
 * Runs a scenario on a virtual clock: the world, its events, every device and
 * agent. The same scenario and seed always give the same timeline.
 */
export class Simulation implements SimServer {
  readonly clock = new VirtualClock();
  readonly devices: Device[] = [];
  readonly world: SimWorld;
  private readonly agents = new Map<string, AgentRuntime>();
  private readonly models: DeviceModel[];
  private drain = false;
  private stopped = false;
  /** Some program's turns do not bound themselves (JavaScript): the run needs the watchdog. */
  private unbounded = false;

  /**
   * Changes the world now, as a scenario event does: the paths of scenario.md's
   * `set` (a test's `impnet.world.set`, or an event). A bad path or value
   * throws before anything changes.
   */
  change(set: Record<string, unknown>): void {
    // Validate on a copy first. The devices are copied only when a path names one: a fleet's
    // world events (the server down, up) would otherwise copy every device's model each time.
    const touchesDevices = Object.keys(set).some((p) => p.startsWith("devices."));
    const target = { world: structuredClone(this.world.model), devices: touchesDevices ? structuredClone(this.models) : this.models };
    for (const [p, value] of Object.entries(set)) applySet(target, p, value);
    this.sink.write({ t: this.clock.now(), device: "world", type: "world", set: redactSet(set) });
    for (const [p, value] of Object.entries(set)) applySet({ world: this.world.model, devices: this.models }, p, value);
    this.world.changed();
  }

  /** Ends the run at the current instant (a test session whose runner is done). */
  stop(): void {
    this.stopped = true;
  }

  private constructor(
    readonly scenario: Scenario,
    private readonly sink: TimelineSink,
    private readonly turnLimitMs: number,
    private readonly onProgress: SimulationOptions["onProgress"],
  ) {
    // Device models are plain data, changed only by replacing a field (sets, imp.setwificonfiguration, WPS):
    // copyPlain's shared strings cannot be told from structuredClone's copies, and cost nothing per device.
    this.models = scenario.devices.map(copyPlain);
    this.world = new SimWorld(structuredClone(scenario.world), scenario.timing, this.clock, this, sink.reads !== "type");
  }

  static async create(scenario: Scenario, options: SimulationOptions): Promise<Simulation> {
    checkFleetFits(scenario.devices.length, scenario.devices.filter((d) => isSquirrel(d.program)).length); // a scenario built in code has not met the loader's check
    const sim = new Simulation(scenario, options.sink, options.turnLimitMs ?? DEFAULT_TURN_LIMIT_MS, options.onProgress);
    const formatStack = (stack: string) => relativeStack(stack, scenario.baseDir);
    const programs = new Map<string, ProgramEntry>();
    const agentPrograms = new Map<string, AgentEntry>();
    const agentStarts: (() => void)[] = [];
    const needsDrain = () => (sim.drain = true); // one for the fleet, not one per device
    for (const model of sim.models) {
      const program = options.programFor?.(model) ?? (await cached(programs, model.program, (f) => loadDeviceProgram(f, { libs: scenario.libs, ...(options.vars === undefined ? {} : { vars: options.vars }) })));
      const link = sim.world.link(model);
      const agent = options.agentFor?.(model) ?? (model.agent === undefined ? undefined : await cached(agentPrograms, model.agent, (f) => loadAgentProgram(f, { libs: scenario.libs, ...(options.vars === undefined ? {} : { vars: options.vars }) })));
      if (!isSelfBounded(program) || (agent !== undefined && !isSelfBounded(agent))) sim.unbounded = true;
      const runtime = agent === undefined ? undefined : new AgentRuntime(model.id, sim.clock, options.sink, { toDevice: (name, data) => link.deliverFromAgent(name, data) }, { formatStack });
      if (runtime !== undefined) sim.agents.set(model.id, runtime);
      const startAgent = runtime === undefined ? noAgent : () => runtime.start(agent!);
      const device = new Device(model, {
        clock: sim.clock,
        sink: options.sink,
        link,
        program,
        needsDrain,
        formatStack,
        random: seededRandom(scenario.seed, model.id),
        ...(options.deployMs === undefined ? {} : { deploy: { ms: options.deployMs, begins: startAgent } }),
      });
      link.listener = device;
      sim.devices.push(device);
      if (options.deployMs === undefined && runtime !== undefined) agentStarts.push(startAgent);
    }
    // Agents' main() and devices' boots run programs too: under the watchdog, as every later turn.
    sim.guarded(() => agentStarts.forEach((start) => start()));
    for (const event of scenario.events) sim.clock.setTimer(event.atMs, () => sim.change(event.set));
    sim.guarded(() => sim.devices.forEach((device) => device.boot()));
    return sim;
  }

  /** Devices connected now: counted when asked (a progress bar's few times a second), at no cost to the run. */
  connectedDevices(): number {
    let n = 0;
    for (const device of this.devices) if (device.connected) n++;
    return n;
  }

  /**
   * Runs to the scenario's end. Program promises settle on the way: those impnet
   * resolves before the next turn, and any other before virtual time moves on
   * (a promise a program resolves itself cannot be seen, so an instant in which
   * any promise was made or settled ends with a drain).
   */
  async run(): Promise<void> {
    const end = this.scenario.durationMs;
    const onRejection = (reason: unknown) => this.unhandled(reason);
    process.on("unhandledRejection", onRejection);
    const promises = new PromiseActivity();
    let report = wallMs() + PROGRESS_MS;
    try {
      for (;;) {
        if (this.onProgress !== undefined && wallMs() >= report) {
          report = wallMs() + PROGRESS_MS;
          this.onProgress(this.clock.now(), this.clock.fired);
        }
        let step = "more" as Step; // a stopped stretch leaves it so: the run goes on past the runaway
        this.guarded(() => (step = this.stretch(end, promises)));
        if (step === "end") break;
        if (step === "drain") this.drain = false;
        // A drain, or a slice of wall time spent with nothing pending: Node gets its turn (a closed pipe is seen, a sink's writes go out).
        await drainMicrotasks();
        promises.seen = false; // after the drain: its own promise counts as activity
      }
      if (!this.stopped) this.clock.runUntil(end);
    } finally {
      promises.stop();
      process.off("unhandledRejection", onRejection);
    }
  }

  /**
   * Fires timers until promises must settle (a program touched one, and the
   * instant is over), the run is over, or a slice of wall time is spent: one
   * stretch under one watchdog, which costs a thread, too much for every turn.
   */
  private stretch(end: number, promises: PromiseActivity): Step {
    const until = wallMs() + Math.min(STRETCH_MS, this.turnLimitMs / 4);
    for (let n = 1; ; n++) {
      const next = this.clock.nextAt();
      if (this.drain || (promises.seen && (next === undefined || next > this.clock.now()))) return "drain";
      if (next === undefined || next > end || this.stopped) return "end";
      // Only with nothing pending: continuations a program queued run after the instant's timers, never amid them.
      if ((n & 127) === 0 && !promises.seen && wallMs() > until) return "more";
      this.clock.fireNext(end);
    }
  }

  /** Runs `fn` under the turn watchdog when some program needs one; a stop may have cut the clock's own work short. */
  private guarded(fn: () => void): void {
    if (!this.unbounded) return fn();
    if (runGuarded(fn, this.turnLimitMs)) this.clock.repair();
  }

  /**
   * A promise chain a program built itself failed with no handler. Its device
   * cannot be known, so the line is the world's; the simulation goes on.
   */
  private unhandled(reason: unknown): void {
    if (reason instanceof ProgramStoppedError) return; // a stopped program's leftover chain: nothing more of it runs
    const err = reason instanceof Error ? reason : new Error(String(reason));
    this.sink.write({ t: this.clock.now(), device: "world", type: "error", text: `unhandled rejection in a program: ${err.message}`, stack: relativeStack(err.stack ?? err.message, this.scenario.baseDir) });
  }

  // ---- SimServer ----

  receive(deviceId: string, message: Outbound): void {
    if (message.kind === "log") {
      this.sink.write({ t: this.clock.now(), device: deviceId, type: "log", text: message.text, error: message.error });
      return;
    }
    const agent = this.agents.get(deviceId);
    if (agent === undefined) {
      this.sink.write({ t: this.clock.now(), device: deviceId, type: "warning", text: `message "${message.name}" for an agent, but the device has none: dropped` });
      return;
    }
    agent.deliver(message.name, message.data);
  }

  online(deviceId: string, online: boolean): void {
    this.agents.get(deviceId)?.setOnline(online);
  }
}

/** A device without an agent has none to start. */
function noAgent(): void {}

async function cached<T>(cache: Map<string, T>, file: string, load: (file: string) => Promise<T>): Promise<T> {
  let entry = cache.get(file);
  if (entry === undefined) {
    entry = await load(file);
    cache.set(file, entry);
  }
  return entry;
}

function relativeStack(stack: string, baseDir: string): string {
  const url = pathToFileURL(baseDir).href;
  return stack.split(url + "/").join("").split(baseDir + path.sep).join("");
}
