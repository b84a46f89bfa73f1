import net from "node:net";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import type { MqttClient } from "mqtt";
import type { Clock, TimerId } from "../../clock/clock.js";
import * as C from "../../constants.js";
import type { InterfaceType } from "../../constants.js";
import { KEEPALIVE_GRACE_MS, KEEPALIVE_IDLE_MS } from "../../connection/timing.js";
import type { DeviceModel } from "../../scenario/types.js";
import type { LayerRecord } from "../../timeline/events.js";
import { decodeMessage, encodeLog, encodeMessage } from "../../wire/payload-codec.js";
import { topicFor } from "../../wire/topics.js";
import { LAYER_REASON, layersFor, reasonForRelease } from "../layers.js";
import type { LayerName } from "../layers.js";
import type { AttemptOutcome, AttemptSpec, DeviceLink, LinkListener, Outbound, SendResult } from "../port.js";
import { deviceClient, waitForConnack } from "./device-client.js";
import type { ProxyEndpoint, ServerEndpoint } from "./endpoints.js";
import { ipv4Of, readLink } from "./interface-state.js";
import { sharedInterfaceWatcher } from "./interface-watcher.js";
import type { InterfaceWatcher } from "./interface-watcher.js";
import { openTunnel } from "./proxy-tunnel.js";
import { resolveName } from "./resolve-name.js";
import type { DnsSettings } from "./resolve-name.js";

/** What may pile up in the socket before sends report SEND_ERROR_WOULDBLOCK, as on the simulator. */
export const HOST_SEND_BUFFER_BYTES = 16 * 1024;

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
  /**
   * An attempt that follows a failure sooner than this waits out the rest
   * before its first layer (default 1000 ms). impOS's retry windows run
   * attempts back to back (R37), and on real sockets a refused port fails in
   * microseconds: without a floor a 10 s boot window would make thousands.
   */
  retryFloorMs?: number;
}

/** One layer's verdict, with the raw cause (R34). */
type Step = { ok: true } | { ok: false; reason?: number; detail: string };

interface Context {
  ifName: string;
  proxy: ProxyEndpoint | undefined;
  localAddress?: string;
  /** The address the first hop dials: the proxy's when there is one, the server's otherwise. */
  address?: string;
  tcp?: Socket;
  stream?: Duplex;
  client?: MqttClient;
  /** A proxy's non-2xx answer to CONNECT that is the server's fault (5xx). */
  proxyServerFailure?: string;
}

interface Live {
  spec: AttemptSpec;
  layers: LayerName[];
  steps: LayerRecord[];
  current: { layer: LayerName; start: number } | null;
  ctx: Context;
  abort: AbortController;
  deadline: TimerId;
  done: boolean;
  /** The raw cause a layer saw before it settled down to wait for the deadline. */
  pendingDetail?: string;
  /** While the attempt waits out the retry pause: the failure it is retrying, and when the pause began. */
  retrying?: { outcome: AttemptOutcome; since: number };
}

interface Session {
  iface: InterfaceType;
  ifName: string;
  localAddress: string | undefined;
  client: MqttClient;
  stream: Duplex;
  lastRx: number;
  /** When the device last sent the broker anything. */
  lastTx: number;
  keepalive: TimerId;
  /** Stops watching the session's interface. */
  unwatch: () => void;
  inFlight: number;
  drained: (() => void)[];
  /** Before release 40 the CONNACK may still be outstanding (R14). */
  connacked: boolean;
  lastError: string | undefined;
}

/**
 * The host network stack: one device's attempts walk real layers (the host's
 * interface, DNS, an HTTP CONNECT proxy, TCP, TLS, MQTT) and a session rides
 * an mqtt.js client on the socket impnet opened.
 */
export class HostLink implements DeviceLink {
  listener: LinkListener | null = null;
  readonly wps = false;
  private attempt: Live | null = null;
  private session: Session | null = null;
  /** Streams of sessions closed politely, still saying goodbye. */
  private readonly closing = new Set<Duplex>();
  private readonly keepaliveIdle: number;
  private readonly keepaliveGrace: number;
  private readonly pollMs: number;
  private readonly watcher: InterfaceWatcher;
  private readonly retryFloorMs: number;
  /** How and when an attempt on each interface last failed: the next one there waits out the retry floor. */
  private readonly lastFailure = new Map<InterfaceType, { at: number; outcome: AttemptOutcome }>();

  constructor(
    readonly device: DeviceModel,
    private readonly clock: Clock,
    private readonly options: HostLinkOptions,
  ) {
    this.keepaliveIdle = options.keepalive?.idleMs ?? KEEPALIVE_IDLE_MS;
    this.keepaliveGrace = options.keepalive?.graceMs ?? KEEPALIVE_GRACE_MS;
    this.pollMs = options.linkPollMs ?? 500;
    this.watcher = options.watcher ?? sharedInterfaceWatcher(this.pollMs, options.sysRoot);
    this.retryFloorMs = options.retryFloorMs ?? 1000;
  }

  get connected(): boolean {
    return this.session !== null;
  }

  /** The address the live session's socket is bound to. */
  get address(): string | undefined {
    return this.session?.localAddress;
  }

  /** The layers an attempt on this interface walks, in order (R10; a proxy only off cell, TLS only for mqtts). */
  plannedLayers(iface: InterfaceType, wps = false): readonly LayerName[] {
    const proxy = iface !== "cell" && this.device.proxy !== undefined;
    return layersFor(iface, { proxy, wps, session: this.device.release >= 40 }).filter((l) => l !== "tls" || this.options.server.tls);
  }

  startAttempt(spec: AttemptSpec): void {
    this.cancel(this.attempt);
    const proxy = spec.iface === "cell" ? undefined : this.device.proxy;
    const a: Live = {
      spec,
      layers: [...this.plannedLayers(spec.iface, spec.wps)],
      steps: [],
      current: null,
      ctx: { ifName: this.options.interfaces[spec.iface] ?? "", proxy: proxy === undefined ? undefined : { ...proxy } },
      abort: new AbortController(),
      deadline: this.clock.setTimer(spec.deadline - this.clock.now(), () => this.timedOut(a)),
      done: false,
    };
    this.attempt = a;
    // Never report inside startAttempt: the connection layer is mid-step.
    void Promise.resolve().then(() => this.walk(a));
  }

  setDeadline(id: number, deadline: number): void {
    const a = this.attempt;
    if (a?.spec.id !== id) return;
    a.spec = { ...a.spec, deadline };
    this.clock.clearTimer(a.deadline);
    a.deadline = this.clock.setTimer(deadline - this.clock.now(), () => this.timedOut(a));
  }

  abortAttempt(id: number): AttemptOutcome {
    const a = this.attempt;
    if (a === null || a.spec.id !== id) return { ok: false, reason: C.NOT_CONNECTED, layers: [] };
    const outcome = this.inProgressOutcome(a, undefined);
    this.cancel(a);
    return outcome;
  }

  send(message: Outbound, onAck?: () => void): SendResult {
    const s = this.session;
    if (s === null) throw new Error("send without a session");
    if (s.stream.writableLength > HOST_SEND_BUFFER_BYTES) return "wouldblock";
    const [topic, payload] =
      message.kind === "log"
        ? [topicFor(this.device.id, "log"), encodeLog(message.text, message.error)]
        : [topicFor(this.device.id, "msg"), encodeMessage(message.name, message.data)];
    s.inFlight++;
    // WAIT_FOR_ACK → QoS 1, its PUBACK is the ack; WAIT_TIL_SENT → QoS 0, done once written.
    s.client.publish(topic, payload, { qos: onAck === undefined ? 0 : 1 }, (err) => {
      s.inFlight--;
      if (this.session !== s) return;
      if (!(err instanceof Error) && onAck !== undefined) onAck(); // mqtt.js passes null or undefined on success
      this.notifyDrained(s);
    });
    return "sent";
  }

  whenDrained(callback: () => void): void {
    const s = this.session;
    if (s === null) return;
    if (s.inFlight === 0) this.clock.setTimer(0, callback);
    else s.drained.push(callback);
  }

  closeSession(): void {
    const s = this.session;
    if (s === null) return;
    this.endSession(s);
    // An orderly goodbye: the will is for failures, so say "offline" ourselves.
    s.client.publish(topicFor(this.device.id, "status"), "offline", { qos: 0, retain: true });
    s.client.end(false);
    const stream = s.stream;
    this.closing.add(stream);
    stream.once("close", () => this.closing.delete(stream));
    this.clock.setTimer(1000, () => stream.destroy()); // a silent server must not keep it open
  }

  /** Ends everything at once (the command is stopping): no goodbye, no timers left behind. */
  dispose(): void {
    this.cancel(this.attempt);
    for (const stream of this.closing) stream.destroy();
    this.closing.clear();
    const s = this.session;
    if (s === null) return;
    this.endSession(s);
    s.client.end(true);
    s.stream.destroy();
  }

  // ---- the attempt ----

  private async walk(a: Live): Promise<void> {
    const last = this.lastFailure.get(a.spec.iface);
    const pause = last === undefined ? 0 : last.at + this.retryFloorMs - this.clock.now();
    if (last !== undefined && pause > 0) {
      // Nothing of this attempt has started, and a pause is no layer: a deadline
      // now reports the failure being retried; the pause is its own record (R34).
      const start = this.clock.now();
      a.retrying = { outcome: last.outcome, since: start };
      await this.wait(a, pause);
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
        step = await this.runLayer(layer, a);
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

  private async runLayer(layer: LayerName, a: Live): Promise<Step> {
    const ctx = a.ctx;
    switch (layer) {
      case "wps":
        return { ok: false, detail: "WPS is not available on the host stack" };
      case "wifi":
      case "link":
      case "modem":
      case "ppp":
        return this.linkLayer(a.spec.iface, ctx);
      case "sim":
      case "registration":
        return { ok: true }; // the host's modem manager has done these when the interface exists
      case "ip":
      case "internet":
        return this.addressLayer(a);
      case "dns": {
        const host = ctx.proxy?.host ?? this.options.server.host;
        const r = await resolveName(host, this.options.dns ?? {}, a.spec.deadline - this.clock.now(), a.abort.signal); // not bound to the interface: a local stub resolver (127.0.0.53) must stay reachable
        if (r.ok) {
          ctx.address = r.address;
          return { ok: true };
        }
        // No answer: wait for the deadline as the imp does (R10); the attempt's timer reports it.
        if (!r.answered) return this.untilDeadline(a, r.detail);
        return { ok: false, detail: r.detail };
      }
      case "proxy":
        return this.proxyLayer(a);
      case "tcp":
        if (ctx.proxy !== undefined)
          return ctx.proxyServerFailure === undefined ? { ok: true } : { ok: false, detail: ctx.proxyServerFailure };
        return this.tcpLayer(a, this.options.server.port, "server");
      case "tls":
        return this.tlsLayer(a);
      case "session": {
        const client = deviceClient(ctx.stream!, this.device.id, this.options.secret, this.announcedKeepaliveS());
        ctx.client = client;
        client.on("error", () => {}); // reported through waitForConnack and the session's close
        const r = await waitForConnack(client);
        return r.ok ? { ok: true } : { ok: false, detail: r.detail };
      }
    }
  }

  /**
   * An interface without an address is one whose DHCP has not answered yet:
   * the layer waits for one, looking again each poll, until the deadline
   * (R10), and takes an address that arrives in time.
   */
  private async addressLayer(a: Live): Promise<Step> {
    const ctx = a.ctx;
    const detail = `${ctx.ifName}: no IPv4 address`;
    for (;;) {
      const address = ipv4Of(ctx.ifName);
      if (address !== undefined) {
        ctx.localAddress = address;
        return { ok: true };
      }
      if (a.abort.signal.aborted) return { ok: false, detail };
      a.pendingDetail = detail;
      await this.wait(a, this.pollMs);
    }
  }

  /** Waits this long, or until the attempt ends. */
  private wait(a: Live, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const cancel = () => {
        this.clock.clearTimer(timer);
        resolve();
      };
      const timer = this.clock.setTimer(ms, () => {
        a.abort.signal.removeEventListener("abort", cancel);
        resolve();
      });
      a.abort.signal.addEventListener("abort", cancel, { once: true });
    });
  }

  private linkLayer(iface: InterfaceType, ctx: Context): Step {
    if (ctx.ifName === "") return { ok: false, detail: `no host interface is configured for ${C.INTERFACE_IDS[iface]}` };
    const state = readLink(ctx.ifName, this.options.sysRoot);
    return state.link ? { ok: true } : { ok: false, detail: state.linkDetail ?? `${ctx.ifName}: no link` };
  }

  private async tcpLayer(a: Live, port: number, what: "server" | "proxy"): Promise<Step> {
    const ctx = a.ctx;
    const r = await connectTcp(ctx.address!, port, ctx.localAddress, a.abort.signal);
    if (!r.ok) {
      if (r.code === "ETIMEDOUT") return this.untilDeadline(a, `${what} ${ctx.address}:${port}: no answer (ETIMEDOUT)`);
      return { ok: false, detail: `${what} ${ctx.address}:${port}: ${r.code}` };
    }
    // Later failures arrive as 'close' with the code kept by the session; an unheard 'error' would crash.
    r.socket.on("error", () => {});
    ctx.tcp = r.socket;
    ctx.stream = r.socket;
    return { ok: true };
  }

  private async proxyLayer(a: Live): Promise<Step> {
    const ctx = a.ctx;
    const proxy = ctx.proxy!;
    const tcp = await this.tcpLayer(a, proxy.port, "proxy");
    if (!tcp.ok) return { ok: false, reason: C.NO_PROXY, detail: tcp.detail };
    const server = this.options.server;
    const auth: { user?: string; password?: string } = {};
    if (proxy.user !== undefined) auth.user = proxy.user;
    if (proxy.password !== undefined) auth.password = proxy.password;
    const r = await openTunnel(ctx.tcp!, server, auth, a.abort.signal);
    switch (r.kind) {
      case "open":
        return { ok: true };
      case "broken":
        return { ok: false, reason: C.NO_PROXY, detail: r.detail };
      case "status": {
        const detail = `proxy answered HTTP ${r.status}${r.text === "" ? "" : ` ${r.text}`}`;
        if (r.status >= 400 && r.status < 500) return { ok: false, reason: C.NOT_AUTHORISED, detail }; // R11
        if (r.status >= 500) {
          // The proxy did its part; the server behind it is what failed: the tcp layer reports it.
          ctx.proxyServerFailure = detail;
          return { ok: true };
        }
        return { ok: false, reason: C.NO_PROXY, detail };
      }
    }
  }

  private tlsLayer(a: Live): Promise<Step> {
    const ctx = a.ctx;
    const host = this.options.server.host;
    return new Promise((resolve) => {
      // `host` is what the certificate is checked against (an IP address too);
      // SNI (servername) may only carry a name.
      const options: tls.ConnectionOptions = { socket: ctx.stream, host, rejectUnauthorized: true };
      if (net.isIP(host) === 0) options.servername = host;
      if (this.options.ca !== undefined) options.ca = this.options.ca;
      const socket = tls.connect(options);
      ctx.stream = socket;
      const onAbort = () => socket.destroy();
      a.abort.signal.addEventListener("abort", onAbort, { once: true });
      const done = (step: Step) => {
        a.abort.signal.removeEventListener("abort", onAbort);
        socket.off("error", onError);
        socket.off("close", onClose);
        resolve(step);
      };
      const onError = (e: NodeJS.ErrnoException) => done({ ok: false, detail: `TLS: ${e.code ?? "error"}: ${e.message}` });
      const onClose = () => done({ ok: false, detail: "TLS: the server closed the connection during the handshake" });
      socket.once("secureConnect", () => {
        socket.on("error", () => {}); // as for TCP: the session reads the cause from 'close'
        done({ ok: true });
      });
      socket.once("error", onError);
      socket.once("close", onClose);
    });
  }

  /** A layer that got no answer waits for the deadline; the deadline's timer then reports it (R10). */
  private untilDeadline(a: Live, detail: string): Promise<Step> {
    a.pendingDetail = detail;
    return new Promise((resolve) => a.abort.signal.addEventListener("abort", () => resolve({ ok: false, detail }), { once: true }));
  }

  private timedOut(a: Live): void {
    if (a.done) return;
    const outcome = this.inProgressOutcome(a, "timed out");
    this.cancel(a);
    this.lastFailure.set(a.spec.iface, { at: this.clock.now(), outcome });
    this.listener?.attemptEnded(a.spec.id, outcome);
  }

  /** The attempt's record with the layer in progress failed now (R07). */
  private inProgressOutcome(a: Live, why: "timed out" | undefined): AttemptOutcome {
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
  private cancel(a: Live | null): void {
    if (a === null || a.done) return;
    a.done = true;
    this.clock.clearTimer(a.deadline);
    a.abort.abort();
    if (this.attempt === a) this.attempt = null;
    const { client, stream, tcp } = a.ctx;
    if (client !== undefined) client.end(true);
    stream?.destroy();
    tcp?.destroy();
  }

  private finishOk(a: Live): void {
    a.done = true;
    this.clock.clearTimer(a.deadline);
    if (this.attempt === a) this.attempt = null;
    const greet = this.openSession(a);
    this.listener?.attemptEnded(a.spec.id, { ok: true, reason: C.SERVER_CONNECTED, layers: a.steps });
    greet(); // after the report: the subscription and "online" are the session's business, not the connect's
  }

  // ---- the session ----

  /** Sets up the live session; returns the greeting (SUBSCRIBE, then "online") to send. */
  private openSession(a: Live): () => void {
    const ctx = a.ctx;
    const stream = ctx.stream!;
    const connacked = ctx.client !== undefined;
    const client = ctx.client ?? deviceClient(stream, this.device.id, this.options.secret, this.announcedKeepaliveS());
    const now = this.clock.now();
    const s: Session = {
      iface: a.spec.iface,
      ifName: ctx.ifName,
      localAddress: ctx.localAddress,
      client,
      stream,
      lastRx: now,
      lastTx: now,
      keepalive: this.clock.setTimer(this.keepaliveIdle, () => this.keepalive(s)),
      unwatch: () => {},
      inFlight: 0,
      drained: [],
      connacked,
      lastError: undefined,
    };
    this.session = s;
    this.watchInterface(s);
    client.removeAllListeners("error");
    client.on("error", (e: Error & { code?: unknown }) => {
      s.lastError = typeof e.code === "number" ? `CONNACK ${e.code} (${e.message})` : e.message;
    });
    stream.on("error", (e: NodeJS.ErrnoException) => (s.lastError = e.code ?? e.message));
    client.on("packetreceive", () => (s.lastRx = this.clock.now()));
    client.on("packetsend", () => (s.lastTx = this.clock.now()));
    client.on("message", (topic, payload) => {
      if (this.session !== s || topic !== topicFor(this.device.id, "cmd")) return;
      const m = decodeMessage(payload);
      if ("refused" in m) this.listener?.unreadable(`a message from the agent that impnet cannot read (${m.refused}): dropped`);
      else this.listener?.message(m.name, m.data);
    });
    client.on("close", () => {
      if (this.session !== s) return;
      const why = s.connacked ? "the connection closed" : "the server refused the session"; // R14 before 40
      this.drop(s, C.NO_SERVER, s.lastError === undefined ? why : `${why} (${s.lastError})`);
    });
    const greet = () => {
      s.connacked = true;
      client.subscribe(topicFor(this.device.id, "cmd"), { qos: 1 });
      // After the SUBSCRIBE on the same connection: an agent that sees "online" can already reach us.
      client.publish(topicFor(this.device.id, "status"), "online", { qos: 1, retain: true });
    };
    return () => {
      if (this.session !== s) return;
      if (connacked) greet();
      else client.once("connect", greet);
    };
  }

  /** What the CONNECT tells the broker: it may give up on us after 1.5× this with nothing heard. */
  private announcedKeepaliveS(): number {
    return Math.ceil((this.keepaliveIdle + this.keepaliveGrace) / 1000);
  }

  /**
   * R27: silence from the server for the idle time → PINGREQ; nothing back
   * within the grace → dead. Silence *to* the server for the idle time pings
   * too, so the broker's own keepalive (announced in the CONNECT) never fires
   * on a live device that only listens.
   */
  private keepalive(s: Session): void {
    if (this.session !== s) return;
    const now = this.clock.now();
    const quietSince = Math.min(s.lastRx, s.lastTx);
    if (now < quietSince + this.keepaliveIdle) {
      s.keepalive = this.clock.setTimer(quietSince + this.keepaliveIdle - now, () => this.keepalive(s));
      return;
    }
    const probeAt = now;
    if (s.connacked) s.client.sendPing();
    s.keepalive = this.clock.setTimer(this.keepaliveGrace, () => {
      if (this.session !== s) return;
      if (s.lastRx >= probeAt) return this.keepalive(s);
      this.drop(s, C.NO_SERVER, `keepalive: no answer within ${this.keepaliveGrace / 1000} s`);
    });
  }

  /** A local link or address loss is seen within a poll, not only when a socket fails (R27), with the code an attempt would get from the layer that now fails (R10's table). */
  private watchInterface(s: Session): void {
    s.unwatch = this.watcher.watch(s.ifName, s.localAddress, (loss) => {
      const layer: LayerName =
        loss.kind === "link" ? (s.iface === "wifi" ? "wifi" : s.iface === "ethernet" ? "link" : "ppp") : s.iface === "cell" ? "internet" : "ip";
      this.drop(s, reasonForRelease(LAYER_REASON[layer], this.device.release), loss.detail);
    });
  }

  private drop(s: Session, reason: number, detail: string): void {
    if (this.session !== s) return;
    this.endSession(s);
    s.client.end(true);
    s.stream.destroy();
    this.listener?.lost(reason, detail);
  }

  private endSession(s: Session): void {
    this.clock.clearTimer(s.keepalive);
    s.unwatch();
    this.session = null;
  }

  private notifyDrained(s: Session): void {
    if (s.inFlight > 0 || s.drained.length === 0) return;
    const waiting = s.drained;
    s.drained = [];
    for (const cb of waiting) cb();
  }
}

type TcpResult = { ok: true; socket: Socket } | { ok: false; code: string };

/** A TCP connection bound to the interface's address (the source address; egress follows the host's routes). */
function connectTcp(host: string, port: number, localAddress: string | undefined, signal: AbortSignal): Promise<TcpResult> {
  return new Promise((resolve) => {
    const options: net.TcpNetConnectOpts = { host, port, noDelay: true };
    if (localAddress !== undefined) options.localAddress = localAddress;
    const socket = net.connect(options);
    // destroy() emits only 'close': settle here, or an aborted walk waits forever.
    const onAbort = () => {
      socket.destroy();
      done({ ok: false, code: "aborted" });
    };
    signal.addEventListener("abort", onAbort, { once: true });
    let settled = false;
    const done = (r: TcpResult) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      socket.off("error", onError);
      resolve(r);
    };
    const onError = (e: NodeJS.ErrnoException) => done({ ok: false, code: e.code ?? e.message });
    socket.once("connect", () => done({ ok: true, socket }));
    socket.once("error", onError);
  });
}

function errorText(e: unknown): string {
  if (e instanceof Error) return (e as NodeJS.ErrnoException).code ?? e.message;
  return String(e);
}
