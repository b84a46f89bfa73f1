import type { Duplex } from "node:stream";
import type { MqttClient } from "mqtt";
import type { Clock, TimerId } from "../../clock/clock.js";
import * as C from "../../constants.js";
import type { InterfaceType } from "../../constants.js";
import type { DeviceModel } from "../../scenario/types.js";
import { decodeMessage, encodeLog, encodeMessage } from "../../wire/payload-codec.js";
import { topicFor } from "../../wire/topics.js";
import { LAYER_REASON, reasonForRelease } from "../layers.js";
import type { LayerName } from "../layers.js";
import type { Outbound, SendResult } from "../port.js";
import type { HostAttempt } from "./attempt.js";
import type { ReportChannel } from "./device-reporter.js";
import { deviceClient } from "./device-client.js";
import type { InterfaceWatcher } from "./interface-watcher.js";

/** What may pile up in the socket before sends report SEND_ERROR_WOULDBLOCK, as on the simulator. */
export const HOST_SEND_BUFFER_BYTES = 16 * 1024;

/** What a live session tells its link. */
export interface SessionEvents {
  /** The session died: link or address loss, reset, or keepalive gave up (R27). Called once; the session is over. */
  lost(reason: number, detail: string): void;
  message(name: string, data: unknown): void;
  unreadable(why: string): void;
}

export interface SessionEnv {
  device: DeviceModel;
  clock: Clock;
  secret: string;
  keepalive: { idleMs: number; graceMs: number };
  watcher: InterfaceWatcher;
  onLogDelivered?: (text: string, error: boolean) => void;
}

/**
 * A live session on the socket an attempt opened: mqtt.js carries it,
 * impnet's keepalive (R27) and the shared interface watcher find its death.
 */
export class HostSession implements ReportChannel {
  readonly iface: InterfaceType;
  readonly ifName: string;
  /** The address the session's socket is bound to. */
  readonly localAddress: string | undefined;
  private readonly client: MqttClient;
  private readonly stream: Duplex;
  private lastRx: number;
  /** When the device last sent the broker anything. */
  private lastTx: number;
  private keepaliveTimer: TimerId;
  private readonly unwatch: () => void;
  private inFlight = 0;
  private drained: (() => void)[] = [];
  /** Before release 40 the CONNACK may still be outstanding (R14). */
  private connacked: boolean;
  private lastError: string | undefined;
  private ended = false;
  private greetSent = false;

  constructor(
    private readonly env: SessionEnv,
    a: HostAttempt,
    private readonly events: SessionEvents,
  ) {
    const ctx = a.ctx;
    this.iface = a.spec.iface;
    this.ifName = ctx.ifName;
    this.localAddress = ctx.localAddress;
    this.stream = ctx.stream!;
    this.connacked = ctx.client !== undefined;
    this.client = ctx.client ?? deviceClient(this.stream, env.device.id, env.secret, announcedKeepaliveS(env.keepalive));
    this.lastRx = this.lastTx = env.clock.now();
    this.keepaliveTimer = env.clock.setTimer(env.keepalive.idleMs, () => this.keepalive());
    // A local link or address loss is seen within a poll, with the code an attempt would get from the layer that now fails (R10, R27).
    this.unwatch = env.watcher.watch(this.ifName, this.localAddress, (loss) => {
      const layer: LayerName =
        loss.kind === "link" ? (this.iface === "wifi" ? "wifi" : this.iface === "ethernet" ? "link" : "ppp") : this.iface === "cell" ? "internet" : "ip";
      this.drop(reasonForRelease(LAYER_REASON[layer], env.device.release), loss.detail);
    });
    const client = this.client;
    client.removeAllListeners("error");
    client.on("error", (e: Error & { code?: unknown }) => {
      this.lastError = typeof e.code === "number" ? `CONNACK ${e.code} (${e.message})` : e.message;
    });
    this.stream.on("error", (e: NodeJS.ErrnoException) => (this.lastError = e.code ?? e.message));
    client.on("packetreceive", () => (this.lastRx = env.clock.now()));
    client.on("packetsend", () => (this.lastTx = env.clock.now()));
    client.on("message", (topic, payload) => {
      if (this.ended || topic !== topicFor(env.device.id, "cmd")) return;
      const m = decodeMessage(payload);
      if ("refused" in m) events.unreadable(`a message from the agent that impnet cannot read (${m.refused}): dropped`);
      else events.message(m.name, m.data);
    });
    client.on("close", () => {
      const why = this.connacked ? "the connection closed" : "the server refused the session"; // R14 before 40
      this.drop(C.NO_SERVER, this.lastError === undefined ? why : `${why} (${this.lastError})`);
    });
  }

  /**
   * The greeting, once the connect is reported: SUBSCRIBE, then "online" on
   * the same connection, so an agent that sees it can reach us; then
   * `greeted` (the device's report goes after them).
   */
  greet(greeted: () => void): void {
    if (this.ended) return;
    const greet = () => {
      this.connacked = true;
      this.client.subscribe(topicFor(this.env.device.id, "cmd"), { qos: 1 });
      this.client.publish(topicFor(this.env.device.id, "status"), "online", { qos: 1, retain: true });
      this.greetSent = true;
      greeted();
    };
    if (this.connacked) greet();
    else this.client.once("connect", greet);
  }

  /** Whether the greeting has gone: reports may follow. */
  get greeted(): boolean {
    return this.greetSent && !this.ended;
  }

  /**
   * The device's report (wire/device-report.ts) on its diag topic, QoS 0:
   * best effort, as diagnostics are; `sent(false)` if it was not written
   * (the session ended first), so the lines can wait for the next one.
   */
  report(payload: string, sent: (ok: boolean) => void): void {
    this.client.publish(topicFor(this.env.device.id, "diag"), payload, { qos: 0 }, (err) => sent(!(err instanceof Error)));
  }

  send(message: Outbound, onAck?: () => void): SendResult {
    if (this.stream.writableLength > HOST_SEND_BUFFER_BYTES) return "wouldblock";
    const id = this.env.device.id;
    const [topic, payload] = message.kind === "log" ? [topicFor(id, "log"), encodeLog(message.text, message.error)] : [topicFor(id, "msg"), encodeMessage(message.name, message.data)];
    this.inFlight++;
    // WAIT_FOR_ACK → QoS 1, its PUBACK is the ack; WAIT_TIL_SENT → QoS 0, done once written.
    this.client.publish(topic, payload, { qos: onAck === undefined ? 0 : 1 }, (err) => {
      this.inFlight--;
      if (message.kind === "log" && !(err instanceof Error)) this.env.onLogDelivered?.(message.text, message.error);
      if (this.ended) return;
      if (!(err instanceof Error) && onAck !== undefined) onAck(); // mqtt.js passes null or undefined on success
      this.notifyDrained();
    });
    return "sent";
  }

  whenDrained(callback: () => void): void {
    if (this.ended) return;
    if (this.inFlight === 0) this.env.clock.setTimer(0, callback);
    else this.drained.push(callback);
  }

  /** An orderly goodbye (the will is for failures, so "offline" is said here); returns the stream, still closing. */
  close(): Duplex {
    this.retire();
    this.client.publish(topicFor(this.env.device.id, "status"), "offline", { qos: 0, retain: true });
    this.client.end(false);
    return this.stream;
  }

  /** A bare DISCONNECT, no status: resolves when the connection has closed, or after a second of a silent server. */
  leave(): Promise<void> {
    this.retire();
    return new Promise((resolve) => {
      const timer = this.env.clock.setTimer(1000, () => {
        this.stream.destroy();
        resolve();
      });
      this.client.end(false, () => {
        this.env.clock.clearTimer(timer);
        resolve();
      });
    });
  }

  /** Ends at once: no goodbye, no report. */
  dispose(): void {
    if (this.ended) return;
    this.retire();
    this.client.end(true);
    this.stream.destroy();
  }

  /**
   * R27: silence from the server for the idle time → PINGREQ; nothing back
   * within the grace → dead. Silence *to* the server for the idle time pings
   * too, so the broker's own keepalive (announced in the CONNECT) never fires
   * on a live device that only listens.
   */
  private keepalive(): void {
    if (this.ended) return;
    const { clock, keepalive } = this.env;
    const now = clock.now();
    const quietSince = Math.min(this.lastRx, this.lastTx);
    if (now < quietSince + keepalive.idleMs) {
      this.keepaliveTimer = clock.setTimer(quietSince + keepalive.idleMs - now, () => this.keepalive());
      return;
    }
    const probeAt = now;
    if (this.connacked) this.client.sendPing();
    this.keepaliveTimer = clock.setTimer(keepalive.graceMs, () => {
      if (this.ended) return;
      if (this.lastRx >= probeAt) return this.keepalive();
      this.drop(C.NO_SERVER, `keepalive: no answer within ${keepalive.graceMs / 1000} s`);
    });
  }

  private drop(reason: number, detail: string): void {
    if (this.ended) return;
    this.dispose();
    this.events.lost(reason, detail);
  }

  /** No longer live: no keepalive, no watch, no reports. */
  private retire(): void {
    this.ended = true;
    this.env.clock.clearTimer(this.keepaliveTimer);
    this.unwatch();
  }

  private notifyDrained(): void {
    if (this.inFlight > 0 || this.drained.length === 0) return;
    const waiting = this.drained;
    this.drained = [];
    for (const cb of waiting) cb();
  }
}

/** What the CONNECT tells the broker: it may give up on us after 1.5× this with nothing heard. */
export function announcedKeepaliveS(keepalive: { idleMs: number; graceMs: number }): number {
  return Math.ceil((keepalive.idleMs + keepalive.graceMs) / 1000);
}
