import type { Clock, TimerId } from "../clock/clock.js";
import { ENVIRONMENT_AGENT } from "../constants.js";
import type { ProgramHost } from "../device/device.js";
import { checkNonNegativeSeconds } from "../device/api/check.js";
import { MAX_TURNS_PER_INSTANT } from "../device/event-loop.js";
import { isSelfBounded, runTurn } from "../clock/turn-guard.js";
import type { TurnOwner } from "../clock/turn-guard.js";
import { InvalidArgumentError, RunawayTimersError } from "../errors.js";
import type { RunawayTurnError } from "../errors.js";
import { constantsFor, NEWEST_RELEASE } from "../releases.js";
import { seededRandom } from "../scenario/random.js";
import { deliverTo, logText, messageBytes, messageCopy, projection } from "../wire/message.js";
import { checkFunction, checkString } from "../device/api/check.js";
import type { TimelineSink } from "../timeline/events.js";

export interface AgentDeviceApi {
  on: (name: string, handler: ((data: unknown) => unknown) | null) => void;
  /** Returns nothing, as the imp's does: a message to an offline device is dropped with a warning. */
  send: (name: string, data?: unknown) => void;
  onconnect: (cb: (() => unknown) | null) => void;
  ondisconnect: (cb: (() => unknown) | null) => void;
  isconnected: () => boolean;
}

export interface AgentImpApi {
  wakeup: (seconds: number, cb: () => unknown) => AgentWakeup;
  cancelwakeup: (handle: unknown) => void;
  /** Blocks the agent (S5): no message or timer of it runs until it wakes. */
  sleep: (seconds: number) => Promise<void>;
  environment: () => number;
  configparams: Record<string, string>;
}

export interface AgentRoot {
  device: AgentDeviceApi;
  server: { log: (msg: unknown) => void; error: (msg: unknown) => void };
  imp: AgentImpApi;
  http: { jsonencode: (v: unknown) => string; jsondecode: (s: string) => unknown };
  time: () => number;
  date: () => { time: number; usec: number };
  math: { rand: () => number };
  [constant: string]: unknown;
}

/** What an agent's imp.wakeup returns. */
export class AgentWakeup {
  timer: TimerId | null = null;
  cancelled = false;
  constructor(readonly owner: AgentRuntime) {}
}

export type AgentEntry = (root: AgentRoot, host: ProgramHost) => unknown;

export interface AgentRuntimeOptions {
  /** Rewrites error stacks for the timeline (paths relative to the scenario). */
  formatStack?: (stack: string) => string;
  random?: () => number;
  /** Stops a turn that runs longer than this, in wall time (agent hosts; the simulator guards its own). */
  turnLimitMs?: number;
}

export interface AgentTransport {
  /** Carries a message to the device; false when the device cannot be reached now. */
  toDevice(name: string, data: unknown): boolean;
}

/**
 * One device's agent: its handlers, run each on its own turn of the clock. The
 * transport (simulated link, or MQTT) is the only thing that differs by backend.
 */
export class AgentRuntime implements TurnOwner {
  private readonly handlers = new Map<string, (data: unknown) => unknown>();
  private connectCb: (() => unknown) | null = null;
  private disconnectCb: (() => unknown) | null = null;
  private online = false;
  readonly root: AgentRoot;
  /** Blocking calls in progress (imp.sleep): while any is, turns wait in `held`. */
  private holds = 0;
  private held: (() => unknown)[] = [];
  /** Blocking calls started at one instant: too many is an agent looping without time passing. */
  private blockInstant = -1;
  private blocksAtInstant = 0;
  private readonly host: ProgramHost = { block: (promise) => this.block(promise) };
  /** Each turn's watchdog, unless the program bounds its own turns. */
  private turnLimitMs: number | undefined;

  constructor(
    readonly deviceId: string,
    private readonly clock: Clock,
    private readonly sink: TimelineSink,
    private readonly transport: AgentTransport,
    private readonly options: AgentRuntimeOptions = {},
  ) {
    const random = options.random ?? seededRandom(0, `${deviceId}/agent`);
    this.turnLimitMs = options.turnLimitMs;
    const log = (msg: unknown, error: boolean) =>
      this.sink.write({ t: this.clock.now(), device: this.deviceId, type: "log", text: logText(error ? "server.error" : "server.log", msg), error, agent: true });
    this.root = {
      device: {
        on: (name, handler) => {
          checkString("device.on", "name", name);
          if (handler === null) this.handlers.delete(name);
          else {
            checkFunction("device.on", "handler", handler);
            this.handlers.set(name, handler);
          }
        },
        send: (name, data) => {
          checkString("device.send", "name", name);
          messageBytes("device.send", data); // R33: checks the data and the size limit
          const sent = this.transport.toDevice(name, messageCopy(data));
          if (!sent) this.warn(`device.send("${name}"): the device is not connected; message dropped`);
        },
        onconnect: (cb) => {
          if (cb !== null) checkFunction("device.onconnect", "cb", cb);
          this.connectCb = cb;
        },
        ondisconnect: (cb) => {
          if (cb !== null) checkFunction("device.ondisconnect", "cb", cb);
          this.disconnectCb = cb;
        },
        isconnected: () => this.online,
      },
      server: { log: (msg) => log(msg, false), error: (msg) => log(msg, true) },
      imp: {
        wakeup: (seconds, cb) => {
          checkNonNegativeSeconds("imp.wakeup", "seconds", seconds);
          checkFunction("imp.wakeup", "callback", cb);
          const w = new AgentWakeup(this);
          w.timer = this.clock.setTimer(seconds * 1000, () => {
            if (!w.cancelled) this.run(cb);
          });
          return w;
        },
        cancelwakeup: (handle) => {
          if (!(handle instanceof AgentWakeup) || handle.owner !== this || handle.timer === null) return;
          handle.cancelled = true;
          this.clock.clearTimer(handle.timer);
        },
        sleep: (seconds) => {
          checkNonNegativeSeconds("imp.sleep", "seconds", seconds);
          return this.block(new Promise<void>((resolve) => this.clock.setTimer(seconds * 1000, resolve)));
        },
        environment: () => ENVIRONMENT_AGENT,
        configparams: { deviceid: deviceId },
      },
      http: {
        jsonencode: (v) => {
          const text = JSON.stringify(v);
          if (text === undefined) throw new InvalidArgumentError("http.jsonencode", "value", "JSON-compatible data", v);
          return text;
        },
        jsondecode: (text) => {
          checkString("http.jsondecode", "text", text);
          try {
            return JSON.parse(text) as unknown;
          } catch (e) {
            throw new InvalidArgumentError("http.jsondecode", "text", `valid JSON (${(e as Error).message})`, text.slice(0, 40));
          }
        },
      },
      time: () => Math.floor(this.clock.now() / 1000),
      date: () => {
        const ms = this.clock.now();
        return { time: Math.floor(ms / 1000), usec: Math.floor((ms % 1000) * 1000) };
      },
      math: { rand: () => Math.floor(random() * 2 ** 31) },
    };
    for (const name of ["ENVIRONMENT_CARD", "ENVIRONMENT_MODULE", "ENVIRONMENT_AGENT"]) this.root[name] = constantsFor(NEWEST_RELEASE)[name];
  }

  /** Holds the agent's turns until `promise` settles (a blocking call, S5). */
  private block<T>(promise: Promise<T>): Promise<T> {
    const now = this.clock.now();
    if (now !== this.blockInstant) {
      this.blockInstant = now;
      this.blocksAtInstant = 0;
    }
    if (++this.blocksAtInstant > MAX_TURNS_PER_INSTANT) throw new RunawayTimersError(now, MAX_TURNS_PER_INSTANT);
    this.holds++;
    return promise.finally(() => {
      if (--this.holds > 0) return;
      const held = this.held;
      this.held = [];
      for (const fn of held) this.clock.setTimer(0, () => this.run(fn));
    });
  }

  start(entry: AgentEntry): void {
    if (isSelfBounded(entry)) this.turnLimitMs = undefined;
    this.run(() => entry(this.root, this.host));
  }

  /** A message from the device arrived. */
  deliver(name: string, data: unknown): void {
    this.sink.write({ t: this.clock.now(), device: this.deviceId, type: "message", from: "device", name, data: projection(data) });
    // The handler is the one registered when the message's turn runs (the agent may be blocked now).
    this.clock.setTimer(0, () =>
      this.run(() => {
        const handler = this.handlers.get(name);
        if (handler === undefined) return this.warn(`device message "${name}" has no device.on handler in the agent: dropped`);
        return deliverTo(handler, data);
      }),
    );
  }

  setOnline(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    const cb = online ? this.connectCb : this.disconnectCb;
    if (cb !== null) this.clock.setTimer(0, () => this.run(cb));
  }

  private warn(text: string): void {
    this.sink.write({ t: this.clock.now(), device: this.deviceId, type: "warning", text });
  }

  private run(fn: () => unknown): void {
    if (this.holds > 0) {
      this.held.push(fn);
      return;
    }
    try {
      const r = runTurn(this, fn, this.turnLimitMs);
      if (r instanceof Promise) r.catch((e: unknown) => this.report(e));
    } catch (e) {
      this.report(e);
    }
  }

  /** A turn ran past its limit and was stopped: an agent error like any other. */
  runaway(error: RunawayTurnError): void {
    this.report(error);
  }

  private report(e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e));
    const formatStack = this.options.formatStack ?? ((s: string) => s);
    this.sink.write({ t: this.clock.now(), device: this.deviceId, type: "error", text: `agent: ${err.message}`, stack: formatStack(err.stack ?? err.message) });
  }
}
