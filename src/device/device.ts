import type { Clock, TimerId } from "../clock/clock.js";
import { isSelfBounded } from "../clock/turn-guard.js";
import * as C from "../constants.js";
import type { InterfaceType } from "../constants.js";
import type { ConnEffect, ConnEvent } from "../connection/events.js";
import { EffectStack } from "../connection/effect-stack.js";
import { currentInterface, initialState, stepInto } from "../connection/machine.js";
import type { ConnState, Policy } from "../connection/state.js";
import { DEFAULT_CELL_CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS, ERROR_RESTART_MS } from "../connection/timing.js";
import { has } from "../releases.js";
import type { AttemptOutcome, DeviceLink, LinkListener } from "../network/port.js";
import type { DeviceModel } from "../scenario/types.js";
import type { TimelineEvent, TimelineSink } from "../timeline/events.js";
import { ProgramStoppedError } from "../errors.js";
import { EventLoop, PostedTurn } from "./event-loop.js";
import type { LoopHost } from "./event-loop.js";
import { deliverTo, projection } from "../wire/message.js";
import { Sends } from "./sends.js";
import { buildRoot } from "./api/root.js";
import type { RootTable } from "./api/root.js";

/**
 * What a program gets besides its root table: the hook a program that is not
 * JavaScript needs to block as a JavaScript `await` on a blocking call does
 * (a Squirrel stack suspended at a host call holds the event loop, S5).
 */
/** What an attempt cut short by the end of a run (impnet run's --for, Ctrl-C) says: not a failure of the program's. */
export const RUN_ENDED = "cancelled: the run ended";

export interface ProgramHost {
  /** Holds the event loop until `promise` settles. */
  block<T>(promise: Promise<T>): Promise<T>;
}

export type ProgramEntry = (root: RootTable, host: ProgramHost) => unknown;

export interface DeviceOptions {
  clock: Clock;
  sink: TimelineSink;
  link: DeviceLink;
  program: ProgramEntry;
  /** Called when a program callback returned a promise whose continuations must run. */
  needsDrain?: () => void;
  /** Rewrites error stacks for the timeline (paths relative to the scenario). */
  formatStack?: (stack: string) => string;
  /** Seeded randomness for the program (math.rand). */
  random?: () => number;
  /**
   * The first program is deployed, not on the device at power-on: it arrives
   * over the boot connection and starts `ms` later, as code pushed to an
   * online device does (impt deploys each test session so). `begins` runs
   * when the deploy reaches the device (or when its boot ends offline, where
   * the program starts at once, R25).
   */
  deploy?: { ms: number; begins: () => void };
  /** Stops a program turn that runs longer than this, in wall time (the real stack; the simulator guards its own). */
  turnLimitMs?: number;
}

/** One stack for every device: steps run one at a time, and a step's effects are applied and popped before the stack below is touched again. */
const effects = new EffectStack();

type Distribute<T> = T extends unknown ? Omit<T, "t" | "device"> : never;
type Line = Distribute<TimelineEvent>;

/**
 * One emulated imp: its program's lifecycle and event loop, and the driver of
 * its connection state machine. The api/ layer checks arguments and calls in here.
 */
export class Device implements LinkListener, LoopHost {
  readonly model: DeviceModel;
  readonly clock: Clock;
  readonly loop: EventLoop;
  /** Survives deep sleep and program restarts, not a cold boot. */
  readonly nv: Record<string, unknown> = {};
  /** Owned by this driver and stepped in place; step() gives the same rules as a pure function. */
  readonly conn: ConnState;
  readonly root: RootTable;
  /** How the application gave setserverinterfaces() its ids (R17); null in legacy mode. */
  givenInterfaces: string[] | null = null;
  random: () => number;

  private readonly sink: TimelineSink;
  readonly link: DeviceLink;
  private readonly program: ProgramEntry;
  private readonly needsDrainHook: () => void;
  private readonly formatStack: (stack: string) => string;
  /** The program's side of the machine's one callback slot (R08): the handle and its function. */
  private slotCallback: { id: number; fn: (reason: number) => unknown } | null = null;
  private nextCallback = 1;
  private unexpectedHandler: ((reason: number) => unknown) | null = null;
  /** agent.on handlers; created on first use (most fleet devices never register one). */
  agentHandlers: Map<string, (data: unknown) => unknown> | null = null;
  idleHandler: (() => unknown) | null = null;
  /** imp.enableblinkup state; nothing in the simulator blinks. */
  blinkup = true;
  /** imp.setsendbuffersize: kept and reported; the simulated link buffers by its own rule. */
  sendBufferSize = 16 * 1024;
  private readonly host: ProgramHost = { block: (promise) => this.block(() => promise) };
  /** Blocking calls waiting for a connection (R04, R21). */
  private connectWaiters: (() => void)[] = [];
  /** The program's sends and flushes (server.log/error, agent.send, server.flush). */
  readonly sends: Sends;
  /** The outcome the network just reported, while the machine digests it. */
  private outcome: AttemptOutcome | null = null;
  /** Why the network says the session died, while the machine digests it. */
  private lostDetail: string | undefined;
  private restartTimer: TimerId | null = null;
  private running = false;
  private deploy: DeviceOptions["deploy"];

  constructor(model: DeviceModel, options: DeviceOptions) {
    this.model = model;
    this.clock = options.clock;
    const link = options.link;
    // A network that reports the device's lines gets each one after the sink; the simulator's link does not, and pays nothing.
    const record = link.record;
    this.sink = record === undefined ? options.sink : { write: (e) => (options.sink.write(e), record(e)) };
    this.link = link;
    this.program = options.program;
    this.needsDrainHook = options.needsDrain ?? (() => {});
    this.formatStack = options.formatStack ?? ((s) => s);
    this.random = options.random ?? Math.random;
    this.deploy = options.deploy;
    // The device is its loop's host: an object and two closures less per device of a fleet.
    this.loop = new EventLoop(this.clock, this, isSelfBounded(options.program) ? undefined : options.turnLimitMs);
    const sequence = C.DEFAULT_SEQUENCE.filter((t) => model.interfaces.includes(t));
    this.conn = initialState(sequence, { stickyNoServer: model.quirks.includes("sticky-no-server") });
    this.sends = new Sends(this);
    this.root = buildRoot(this);
  }

  get release(): number {
    return this.model.release;
  }

  get policy(): Policy {
    return this.conn.policy;
  }

  get connected(): boolean {
    return this.conn.phase === "connected";
  }

  /** Adds `t` and `device` to the line in place: a fleet writes millions of lines, and a copy each would cost. */
  emit(line: Line): void {
    const event = line as TimelineEvent;
    event.t = this.clock.now();
    event.device = this.model.id;
    this.sink.write(event);
  }

  /**
   * Every API call that acts checks this first (reads do not). After deep sleep
   * or an error nothing more of the program may act, not even the rest of the
   * turn that stopped it.
   */
  live(api: string): void {
    if (!this.running) throw new ProgramStoppedError(api);
  }

  /** Power on (R25): connect first, then start the program. */
  boot(): void {
    this.dispatch({ type: "boot", now: this.clock.now() });
  }

  dispatch(event: ConnEvent): void {
    const mark = effects.top;
    stepInto(this.conn, event, effects);
    const end = effects.top;
    try {
      for (let i = mark; i < end; i++) this.apply(effects.at(i));
    } finally {
      effects.popTo(mark);
    }
  }

  // ---- program-facing operations (called by api/) ----

  /** The default connect timeout for the current interface (R06). */
  defaultTimeoutMs(iface: InterfaceType = currentInterface(this.conn)): number {
    return iface === "cell" && has(this.release, "cellDefaultTimeout") ? DEFAULT_CELL_CONNECT_TIMEOUT_MS : DEFAULT_CONNECT_TIMEOUT_MS;
  }

  connectReturning(api: "connect" | "connectwith", cb: ((reason: number) => unknown) | null, timeoutMs: number, iface?: InterfaceType, wifi?: { ssid: string; key: string }): void {
    let id: number | null = null;
    if (cb !== null && this.conn.phase !== "connected") {
      id = this.nextCallback++;
      this.slotCallback = { id, fn: cb }; // any earlier one is replaced: never called (R08)
    }
    const event: ConnEvent = { type: "connect", now: this.clock.now(), cb: id, api, timeoutMs };
    if (iface !== undefined) event.iface = iface;
    if (wifi !== undefined) event.wifi = wifi;
    this.dispatch(event);
  }

  /** SUSPEND_ON_ERROR connect, or a send reconnecting first (R21): blocks the program until connected. */
  connectBlocking(): Promise<void> {
    if (this.connected) return Promise.resolve();
    return this.block(() => {
      const promise = new Promise<void>((resolve) => this.connectWaiters.push(resolve));
      this.dispatch({ type: "connect", now: this.clock.now(), cb: null, api: "connect", timeoutMs: DEFAULT_CONNECT_TIMEOUT_MS });
      return promise;
    });
  }

  /** server.disconnect(); or, with `why`, the command running the device ending it (an attempt in progress says so, not that the program cancelled it). */
  disconnect(why?: string): void {
    this.dispatch(why === undefined ? { type: "disconnect", now: this.clock.now() } : { type: "disconnect", now: this.clock.now(), why });
  }

  setPolicy(policy: Policy): void {
    this.dispatch({ type: "setPolicy", policy });
  }

  setSequence(sequence: InterfaceType[], given: string[] | null): void {
    this.givenInterfaces = given;
    this.dispatch({ type: "setSequence", sequence });
  }

  armWps(): void {
    this.dispatch({ type: "armWps", armed: true });
  }

  onUnexpectedDisconnect(handler: ((reason: number) => unknown) | null): void {
    this.unexpectedHandler = handler;
  }

  /** A send timed out (Sends): the machine drops the connection or not, by policy (R24). */
  sendTimedOut(detail: string): void {
    this.lostDetail = detail;
    this.dispatch({ type: "sendTimedOut", now: this.clock.now() });
    this.lostDetail = undefined;
  }

  deepSleep(seconds: number): void {
    this.emit({ type: "sleep", seconds });
    this.stopProgram();
    this.dispatch({ type: "powerDown", now: this.clock.now() });
    this.clock.setTimer(seconds * 1000, () => this.startProgram("wake"));
  }

  /** imp.onidle: the handler runs once, on a later turn, after the work already queued; setting another replaces it. */
  setIdle(handler: (() => unknown) | null): void {
    this.idleHandler = handler;
    if (handler !== null)
      this.loop.post(() => {
        if (this.idleHandler !== handler) return;
        this.idleHandler = null;
        return handler();
      });
  }

  // ---- LinkListener: what the network reports ----

  attemptEnded(id: number, outcome: AttemptOutcome): void {
    if (outcome.wpsNetwork !== undefined) this.model.wifi = { ...outcome.wpsNetwork }; // R30
    this.outcome = outcome;
    this.dispatch({ type: "attemptEnded", now: this.clock.now(), id, ok: outcome.ok, reason: outcome.reason });
    this.outcome = null;
  }

  lost(reason: number, detail: string): void {
    this.lostDetail = detail;
    this.dispatch({ type: "lost", now: this.clock.now(), reason });
    this.lostDetail = undefined;
  }

  unreadable(why: string): void {
    this.emit({ type: "warning", text: why });
  }

  /**
   * An agent message is an event like any other: its handler is the one
   * registered when its turn comes, so a message that arrives while the
   * program's top-level code still runs (or sleeps) finds the handlers it sets.
   */
  message(name: string, data: unknown): void {
    this.emit({ type: "message", from: "agent", name, data: projection(data) });
    const dropped = () => this.emit({ type: "warning", text: `agent message "${name}" has no agent.on handler: dropped` });
    if (!this.running) return dropped();
    this.loop.post(() => {
      const handler = this.agentHandlers?.get(name);
      if (handler === undefined) return dropped();
      return deliverTo(handler, data);
    });
  }

  // ---- effects ----

  private apply(fx: ConnEffect): void {
    switch (fx.type) {
      case "startAttempt":
        this.link.startAttempt(fx.attempt);
        break;
      case "setDeadline":
        this.link.setDeadline(fx.id, fx.deadline);
        break;
      case "abortAttempt": {
        const outcome = this.link.abortAttempt(fx.id);
        this.emitAttempt(fx.iface, outcome, outcome.reason, fx.why);
        break;
      }
      case "attemptReported": {
        if (this.outcome !== null) this.emitAttempt(fx.iface, this.outcome, fx.reason);
        break;
      }
      case "closeSession":
        this.link.closeSession();
        break;
      case "connected": {
        this.emit({ type: "connected", interface: C.INTERFACE_IDS[fx.iface] });
        const waiters = this.connectWaiters;
        this.connectWaiters = [];
        for (const w of waiters) this.settle(w, undefined);
        break;
      }
      case "disconnected": {
        if (fx.expected) this.emit({ type: "disconnected", expected: true });
        else {
          const line: Line = { type: "disconnected", expected: false, reason: fx.reason!, reasonName: C.reasonName(fx.reason!, fx.iface) };
          if (this.lostDetail !== undefined) line.detail = this.lostDetail;
          this.emit(line);
        }
        this.sends.disconnected();
        break;
      }
      case "callback": {
        const slot = this.slotCallback;
        if (slot?.id !== fx.cb) break;
        this.slotCallback = null;
        if (!this.running) break;
        this.loop.postTurn(new CallbackTurn(this, slot.fn, fx.api, fx.reason, fx.iface));
        break;
      }
      case "unexpectedDisconnect": {
        const handler = this.unexpectedHandler;
        if (handler === null || !this.running) break;
        this.loop.post(() => {
          if (this.conn.policy.error === C.SUSPEND_ON_ERROR) return; // R22
          this.emit({ type: "callback", api: "onunexpecteddisconnect", reason: fx.reason, reasonName: C.reasonName(fx.reason, fx.iface) });
          return handler(fx.reason);
        });
        break;
      }
      case "suspend":
        this.emit({ type: "suspend" });
        this.loop.hold();
        break;
      case "resume":
        this.emit({ type: "resume" });
        this.loop.release();
        break;
      case "sleep":
        this.emit({ type: "sleep", seconds: fx.ms / 1000 });
        this.clock.setTimer(fx.ms, () => this.dispatch({ type: "wake", now: this.clock.now() }));
        break;
      case "startProgram": {
        const deploy = this.deploy;
        this.deploy = undefined;
        if (deploy === undefined) this.startProgram(fx.cause);
        else {
          deploy.begins();
          if (this.connected) this.clock.setTimer(deploy.ms, () => this.startProgram(fx.cause));
          else this.startProgram(fx.cause);
        }
        break;
      }
    }
  }

  private emitAttempt(iface: InterfaceType, outcome: AttemptOutcome, reason: number, why?: string): void {
    const start = outcome.layers[0]?.start;
    const ms = start === undefined ? 0 : this.clock.now() - start;
    const line: Line = {
      type: "attempt",
      interface: C.INTERFACE_IDS[iface],
      interfaceType: iface,
      reason,
      reasonName: C.reasonName(reason, iface),
      ms,
      layers: outcome.layers,
    };
    if (!outcome.ok && outcome.layer !== undefined) line.layer = outcome.layer;
    const detail = why === undefined ? outcome.detail : outcome.detail === undefined ? why : `${why}: ${outcome.detail}`;
    if (detail !== undefined) line.detail = detail;
    this.emit(line);
  }

  // ---- lifecycle ----

  /** Holds the event loop while a blocking call is pending (R36). */
  block<T>(run: () => Promise<T>): Promise<T> {
    this.loop.countBlock();
    this.loop.hold();
    const epoch = this.loop.epoch;
    return run().finally(() => {
      if (epoch === this.loop.epoch) this.loop.release();
    });
  }

  /**
   * Settles a promise the program may be awaiting. Its continuation is a
   * microtask, so the simulation must let microtasks run before the next timer.
   */
  settle<T>(resolve: (value: T) => void, value: T): void {
    resolve(value);
    this.needsDrainHook();
  }

  private stopProgram(): void {
    this.running = false;
    this.loop.reset();
    this.slotCallback = null;
    this.connectWaiters = [];
    this.sends.forget();
    this.unexpectedHandler = null;
    this.agentHandlers = null;
    this.idleHandler = null;
    if (this.restartTimer !== null) this.clock.clearTimer(this.restartTimer);
    this.restartTimer = null;
  }

  startProgram(cause: "cold" | "wake" | "error"): void {
    this.stopProgram();
    this.dispatch({ type: "programStart", now: this.clock.now() });
    this.running = true;
    this.emit({ type: "boot", cause });
    this.loop.turn(() => this.program(this.root, this.host));
  }

  /** server.restart(): the program starts again at once; nv and the connection stay. */
  restartProgram(): void {
    this.stopProgram();
    this.loop.post(() => this.startProgram("cold"));
  }

  /** LoopHost: a callback's promise must settle before virtual time moves on. */
  needsDrain(): void {
    this.needsDrainHook();
  }

  /** LoopHost: a program callback threw, or its promise rejected: the program stops and restarts (scenario.md). */
  programError(e: unknown): void {
    if (!this.running) return;
    const err = e instanceof Error ? e : new Error(String(e));
    this.emit({ type: "error", text: err.message, stack: this.formatStack(err.stack ?? err.message) });
    this.stopProgram();
    this.restartTimer = this.clock.setTimer(ERROR_RESTART_MS, () => {
      this.restartTimer = null;
      this.startProgram("error");
    });
  }
}

/** A connect callback's turn: its timeline line, then the program's function. One object: a fleet posts one per attempt. */
class CallbackTurn extends PostedTurn {
  constructor(
    private readonly device: Device,
    private readonly cb: (reason: number) => unknown,
    private readonly api: "connect" | "connectwith",
    private readonly reason: number,
    private readonly iface: InterfaceType,
  ) {
    super(device.loop);
  }

  run(): unknown {
    this.device.emit({ type: "callback", api: this.api, reason: this.reason, reasonName: C.reasonName(this.reason, this.iface) });
    const cb = this.cb; // called as a function, not a method: the program's stack frames read as before
    return cb(this.reason);
  }
}
