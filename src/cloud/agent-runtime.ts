import type { Clock } from "../clock/clock.js";
import { logText, messageBytes } from "../device/message.js";
import { checkFunction, checkString } from "../device/api/check.js";
import type { TimelineSink } from "../timeline/events.js";

export interface AgentDeviceApi {
  on: (name: string, handler: ((data: unknown) => unknown) | null) => void;
  send: (name: string, data?: unknown) => boolean;
  onconnect: (cb: (() => unknown) | null) => void;
  ondisconnect: (cb: (() => unknown) | null) => void;
  isconnected: () => boolean;
}

export interface AgentRoot {
  device: AgentDeviceApi;
  server: { log: (msg: unknown) => void; error: (msg: unknown) => void };
}

export type AgentEntry = (root: AgentRoot) => unknown;

export interface AgentTransport {
  /** Carries a message to the device; false when the device cannot be reached now. */
  toDevice(name: string, data: unknown): boolean;
}

/**
 * One device's agent: its handlers, run each on its own turn of the clock. The
 * transport (simulated link, or MQTT) is the only thing that differs by backend.
 */
export class AgentRuntime {
  private readonly handlers = new Map<string, (data: unknown) => unknown>();
  private connectCb: (() => unknown) | null = null;
  private disconnectCb: (() => unknown) | null = null;
  private online = false;
  readonly root: AgentRoot;

  constructor(
    readonly deviceId: string,
    private readonly clock: Clock,
    private readonly sink: TimelineSink,
    private readonly transport: AgentTransport,
    private readonly formatStack: (stack: string) => string = (s) => s,
  ) {
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
          const sent = this.transport.toDevice(name, structuredClone(data));
          if (!sent) this.warn(`device.send("${name}"): the device is not connected; message dropped`);
          return sent;
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
    };
  }

  start(entry: AgentEntry): void {
    this.run(() => entry(this.root));
  }

  /** A message from the device arrived. */
  deliver(name: string, data: unknown): void {
    this.sink.write({ t: this.clock.now(), device: this.deviceId, type: "message", from: "device", name, data });
    const handler = this.handlers.get(name);
    if (handler === undefined) return this.warn(`device message "${name}" has no device.on handler in the agent: dropped`);
    this.clock.setTimer(0, () => this.run(() => handler(data)));
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
    const report = (e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      this.sink.write({ t: this.clock.now(), device: this.deviceId, type: "error", text: `agent: ${err.message}`, stack: this.formatStack(err.stack ?? err.message) });
    };
    try {
      const r = fn();
      if (r instanceof Promise) r.catch(report);
    } catch (e) {
      report(e);
    }
  }
}
