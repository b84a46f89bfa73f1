import type { Duplex } from "node:stream";
import type { Clock } from "../../clock/clock.js";
import * as C from "../../constants.js";
import type { InterfaceType } from "../../constants.js";
import { KEEPALIVE_GRACE_MS, KEEPALIVE_IDLE_MS } from "../../connection/timing.js";
import type { DeviceModel } from "../../scenario/types.js";
import { LAYER_REASON, layersFor, reasonForRelease } from "../layers.js";
import type { LayerName } from "../layers.js";
import type { AttemptOutcome, AttemptSpec, DeviceLink, LinkListener, Outbound, SendResult } from "../port.js";
import type { TimelineEvent } from "../../timeline/events.js";
import type { HostAttempt, LayerEnv, Step } from "./attempt.js";
import { wait } from "./attempt.js";
import type { ServerEndpoint } from "./endpoints.js";
import { announcedKeepaliveS, HostSession } from "./host-session.js";
import type { SessionEnv } from "./host-session.js";
import { sharedInterfaceWatcher } from "./interface-watcher.js";
import type { InterfaceWatcher } from "./interface-watcher.js";
import { runLayer } from "./layers/run-layer.js";
import { DeviceReporter } from "./device-reporter.js";
import type { DnsSettings } from "./resolve-name.js";

export { HOST_SEND_BUFFER_BYTES } from "./host-session.js";

export interface HostLinkOptions {
  server: ServerEndpoint;
  /** The device's secret, sent in the MQTT CONNECT and nowhere else. */
  secret: string;
  /**
   * Which host interface plays each of the device's interfaces. The type is the
   * configuration's: it wins over whatever /sys suggests.
   */
  interfaces: Partial<Record<InterfaceType, string>>;
  /** Extra CA certificates (PEM) for the server's TLS; the system's are used otherwise. */
  ca?: string | Buffer;
  dns?: DnsSettings;
  /** R27's keepalive; tests shorten it. */
  keepalive?: { idleMs: number; graceMs: number };
  /** How often a live session's interface is read again (link loss within a second). */
  linkPollMs?: number;
  /** Who watches the interfaces of live sessions (default: the process's shared one for linkPollMs). */
  watcher?: InterfaceWatcher;
  /** Root of the sysfs net tree (default /sys/class/net). */
  sysRoot?: string;
  /** ModemManager's mmcli, which cell0's modem, SIM and registration layers read (default: found on the PATH's usual places). */
  mmcli?: string;
  /** Each server.log line once the broker has it (QoS 1: its PUBACK; QoS 0: written): `impnet run` prints them when no agent host does. */
  onLogDelivered?: (text: string, error: boolean) => void;
  /** Say nothing once connected (no SUBSCRIBE, no "online", no report): impnet doctor's session, which only proves the path. */
  quiet?: boolean;
  /**
   * Report the device's attempts on its diag topic (default true). Off for a
   * broker whose ACL closes a connection that publishes where it may not.
   */
  reports?: boolean;
  /** iw, which wl0's layer asks for the association when the interface is really wireless (default: found in the usual places). */
  iw?: string;
  /**
   * An attempt that follows a failure sooner than this waits out the rest
   * before its first layer (default 1000 ms). impOS's retry windows run
   * attempts back to back (R37), and on real sockets a refused port fails in
   * microseconds: without a floor a 10 s boot window would make thousands.
   */
  retryFloorMs?: number;
  /**
   * Bind the device's sockets to this address rather than the interface's (a
   * fleet on loopback spreads its devices over 127.0.0.0/8, so that tens of
   * thousands of connections do not share one address's source ports).
   */
  sourceAddress?: string;
}

/** The link has at most one thing going on: an attempt, or a live session. */
type LinkState = { kind: "idle" } | { kind: "attempting"; attempt: HostAttempt } | { kind: "connected"; session: HostSession };

const IDLE: LinkState = { kind: "idle" };

/**
 * The host network stack: one device's attempts walk real layers (the host's
 * interface, DNS, an HTTP CONNECT proxy, TCP, TLS, MQTT: one file each in
 * layers/) and a session (HostSession) rides an mqtt.js client on the socket
 * impnet opened.
 */
export class HostLink implements DeviceLink {
  listener: LinkListener | null = null;
  readonly wps = false;
  private state: LinkState = IDLE;
  /** Streams of sessions closed politely, still saying goodbye. */
  private readonly closing = new Set<Duplex>();
  private readonly env: LayerEnv;
  private readonly sessionEnv: SessionEnv;
  private readonly retryFloorMs: number;
  /** How and when an attempt on each interface last failed: the next one there waits out the retry floor. */
  private readonly lastFailure = new Map<InterfaceType, { at: number; outcome: AttemptOutcome }>();
  /** The device's lines the cloud has not heard yet: sent once connected. */
  private readonly reporter: DeviceReporter;
  /**
   * The device's timeline: its attempts, connections and sleeps are reported to the cloud, now if
   * connected, else after the next connect. Absent when nothing is reported (quiet, --no-reports),
   * so the device hands over no lines at all.
   */
  readonly record?: (line: TimelineEvent) => void;

  constructor(
    readonly device: DeviceModel,
    private readonly clock: Clock,
    private readonly options: HostLinkOptions,
  ) {
    const keepalive = { idleMs: options.keepalive?.idleMs ?? KEEPALIVE_IDLE_MS, graceMs: options.keepalive?.graceMs ?? KEEPALIVE_GRACE_MS };
    const pollMs = options.linkPollMs ?? 500;
    const watcher = options.watcher ?? sharedInterfaceWatcher(pollMs, options.sysRoot);
    this.env = { device, options, clock, pollMs, keepaliveS: announcedKeepaliveS(keepalive), watcher };
    this.sessionEnv = { device, clock, secret: options.secret, keepalive, watcher };
    if (options.onLogDelivered !== undefined) this.sessionEnv.onLogDelivered = options.onLogDelivered;
    this.retryFloorMs = options.retryFloorMs ?? 1000;
    this.reporter = new DeviceReporter(() => clock.now());
    if (options.quiet !== true && options.reports !== false)
      this.record = (line) => void this.reporter.record(line, this.state.kind === "connected" ? this.state.session : null);
  }

  get connected(): boolean {
    return this.state.kind === "connected";
  }

  /** The address the live session's socket is bound to. */
  get address(): string | undefined {
    return this.state.kind === "connected" ? this.state.session.localAddress : undefined;
  }

  /** The layers an attempt on this interface walks, in order (R10; a proxy only off cell, TLS only for mqtts). */
  plannedLayers(iface: InterfaceType, wps = false): readonly LayerName[] {
    const proxy = iface !== "cell" && this.device.proxy !== undefined;
    return layersFor(iface, { proxy, wps, session: this.device.release >= 40 }).filter((l) => l !== "tls" || this.options.server.tls);
  }

  startAttempt(spec: AttemptSpec): void {
    // The connection layer never starts one while connected (R09); if it did, the old session would end here, silently.
    this.stopAll();
    const proxy = spec.iface === "cell" ? undefined : this.device.proxy;
    const a: HostAttempt = {
      spec,
      layers: [...this.plannedLayers(spec.iface, spec.wps)],
      steps: [],
      current: null,
      ctx: { ifName: this.options.interfaces[spec.iface] ?? "", proxy: proxy === undefined ? undefined : { ...proxy } },
      abort: new AbortController(),
      deadline: this.clock.setTimer(spec.deadline - this.clock.now(), () => this.timedOut(a)),
      done: false,
    };
    this.state = { kind: "attempting", attempt: a };
    // Never report inside startAttempt: the connection layer is mid-step.
    void Promise.resolve().then(() => this.walk(a));
  }

  setDeadline(id: number, deadline: number): void {
    const a = this.attemptOf(id);
    if (a === null) return;
    a.spec = { ...a.spec, deadline };
    this.clock.clearTimer(a.deadline);
    a.deadline = this.clock.setTimer(deadline - this.clock.now(), () => this.timedOut(a));
  }

  abortAttempt(id: number): AttemptOutcome {
    const a = this.attemptOf(id);
    if (a === null) return { ok: false, reason: C.NOT_CONNECTED, layers: [] };
    const outcome = this.inProgressOutcome(a, undefined);
    this.cancel(a);
    return outcome;
  }

  send(message: Outbound, onAck?: () => void): SendResult {
    if (this.state.kind !== "connected") throw new Error("send without a session");
    return this.state.session.send(message, onAck);
  }

  whenDrained(callback: () => void): void {
    if (this.state.kind === "connected") this.state.session.whenDrained(callback);
  }

  closeSession(): void {
    if (this.state.kind !== "connected") return;
    const stream = this.state.session.close();
    this.state = IDLE;
    this.closing.add(stream);
    stream.once("close", () => this.closing.delete(stream));
    this.clock.setTimer(1000, () => stream.destroy()); // a silent server must not keep it open
  }

  /** Ends the session with a bare DISCONNECT (the broker drops the will: no "offline" either); resolves when it is closed. */
  async leave(): Promise<void> {
    if (this.state.kind !== "connected") return;
    const session = this.state.session;
    this.state = IDLE;
    await session.leave();
  }

  /** Ends everything at once (the command is stopping): no goodbye, no timers left behind. */
  dispose(): void {
    this.stopAll();
    for (const stream of this.closing) stream.destroy();
    this.closing.clear();
  }

  private attemptOf(id: number): HostAttempt | null {
    return this.state.kind === "attempting" && this.state.attempt.spec.id === id ? this.state.attempt : null;
  }

  /** Cancels the attempt or ends the session, silently. */
  private stopAll(): void {
    if (this.state.kind === "attempting") this.cancel(this.state.attempt);
    else if (this.state.kind === "connected") this.state.session.dispose();
    this.state = IDLE;
  }

  // ---- the attempt ----

  private async walk(a: HostAttempt): Promise<void> {
    const last = this.lastFailure.get(a.spec.iface);
    const pause = last === undefined ? 0 : last.at + this.retryFloorMs - this.clock.now();
    if (last !== undefined && pause > 0) {
      // Nothing of this attempt has started, and a pause is no layer: a deadline
      // now reports the failure being retried; the pause is its own record (R34).
      const start = this.clock.now();
      a.retrying = { outcome: last.outcome, since: start };
      await wait(this.clock, a, pause);
      if (a.done) return;
      a.steps.push({ layer: "pause", start, ms: this.clock.now() - start, ok: true });
      delete a.retrying;
    }
    for (const layer of a.layers) {
      if (a.done) return;
      const start = this.clock.now();
      a.current = { layer, start };
      let step: Step;
      try {
        // A layer that answers at once is not awaited: each await is a trip through the microtask queue.
        const answer = runLayer(this.env, layer, a);
        step = answer instanceof Promise ? await answer : answer;
      } catch (e) {
        step = { ok: false, detail: errorText(e) };
      }
      if (a.done) return;
      const ms = this.clock.now() - start;
      a.steps.push({ layer, start, ms, ok: step.ok });
      if (!step.ok) {
        const outcome: AttemptOutcome = {
          ok: false,
          reason: reasonForRelease(step.reason ?? LAYER_REASON[layer], this.device.release),
          layer,
          detail: step.detail,
          layers: a.steps,
        };
        this.cancel(a);
        this.lastFailure.set(a.spec.iface, { at: this.clock.now(), outcome });
        this.listener?.attemptEnded(a.spec.id, outcome);
        return;
      }
    }
    this.finishOk(a);
  }

  private timedOut(a: HostAttempt): void {
    if (a.done) return;
    const outcome = this.inProgressOutcome(a, "timed out");
    this.cancel(a);
    this.lastFailure.set(a.spec.iface, { at: this.clock.now(), outcome });
    this.listener?.attemptEnded(a.spec.id, outcome);
  }

  /** The attempt's record with the layer in progress failed now (R07). */
  private inProgressOutcome(a: HostAttempt, why: "timed out" | undefined): AttemptOutcome {
    const now = this.clock.now();
    if (a.retrying !== undefined) {
      const { outcome: retried, since } = a.retrying;
      const outcome: AttemptOutcome = { ok: false, reason: retried.reason, layers: [{ layer: "pause", start: since, ms: now - since, ok: false }] };
      if (retried.layer !== undefined) outcome.layer = retried.layer;
      if (why !== undefined) outcome.detail = `${why} in the ${this.retryFloorMs} ms retry pause, retrying ${retried.layer ?? "the attempt"}${retried.detail === undefined ? "" : ` (${retried.detail})`}`;
      return outcome;
    }
    const current = a.current ?? { layer: a.layers[0]!, start: a.spec.startedAt };
    const layers = [...a.steps, { layer: current.layer, start: current.start, ms: now - current.start, ok: false }];
    const pending = a.pendingDetail;
    const outcome: AttemptOutcome = { ok: false, reason: reasonForRelease(LAYER_REASON[current.layer], this.device.release), layer: current.layer, layers };
    // A cancelled attempt's line carries the connection layer's own reason (as on the simulator).
    if (why !== undefined) outcome.detail = pending === undefined ? `${why} during ${current.layer}` : `${pending} (${why})`;
    return outcome;
  }

  /** Ends an attempt and releases whatever it had opened. */
  private cancel(a: HostAttempt): void {
    if (a.done) return;
    a.done = true;
    this.clock.clearTimer(a.deadline);
    a.abort.abort(ATTEMPT_ENDED);
    if (this.state.kind === "attempting" && this.state.attempt === a) this.state = IDLE;
    const { client, stream, tcp } = a.ctx;
    if (client !== undefined) client.end(true);
    stream?.destroy();
    tcp?.destroy();
  }

  private finishOk(a: HostAttempt): void {
    a.done = true;
    this.clock.clearTimer(a.deadline);
    const session = new HostSession(this.sessionEnv, a, {
      lost: (reason, detail) => {
        if (this.state.kind === "connected" && this.state.session === session) this.state = IDLE;
        this.listener?.lost(reason, detail);
      },
      message: (name, data) => this.listener?.message(name, data),
      unreadable: (why) => this.listener?.unreadable(why),
    });
    this.state = { kind: "connected", session };
    this.listener?.attemptEnded(a.spec.id, { ok: true, reason: C.SERVER_CONNECTED, layers: a.steps });
    // After the outcome is told: the subscription, "online" and the device's report are the session's business, not the connect's.
    if (this.options.quiet !== true) session.greet(() => this.reporter.flush(session));
  }
}

/**
 * The reason an ended attempt's signal carries. Without one, abort() builds a
 * DOMException and captures its stack: a tenth of a refused connect's cost.
 */
const ATTEMPT_ENDED = "the attempt ended";

function errorText(e: unknown): string {
  if (e instanceof Error) return (e as NodeJS.ErrnoException).code ?? e.message;
  return String(e);
}
