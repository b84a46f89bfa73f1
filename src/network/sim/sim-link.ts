import type { Clock, TimerId } from "../../clock/clock.js";
import { schedule, Timer } from "../../clock/timer.js";
import * as C from "../../constants.js";
import type { DeviceModel } from "../../scenario/types.js";
import type { LayerRecord } from "../../timeline/events.js";
import { KEEPALIVE_GRACE_MS, KEEPALIVE_IDLE_MS } from "../../connection/timing.js";
import { LAYER_REASON, layersFor, reasonForRelease } from "../layers.js";
import type { LayerName } from "../layers.js";
import type { AttemptOutcome, AttemptSpec, DeviceLink, LinkListener, Outbound, SendResult } from "../port.js";
import type { AttemptContext, LayerResult } from "./evaluate-layer.js";
import { evaluateLayer } from "./evaluate-layer.js";
import type { Listed } from "./insertion-list.js";
import type { SimWorld } from "./sim-world.js";

/** What a silent server lets pile up before sends would block (SEND_ERROR_WOULDBLOCK). [our choice] */
export const SEND_BUFFER_BYTES = 16 * 1024;

interface LiveAttempt {
  spec: AttemptSpec;
  ctx: AttemptContext;
  layers: readonly LayerName[];
  /** Each layer's result, fixed once the layer has started (R10). */
  results: (LayerResult | undefined)[];
  /** Where the last plan() ends the attempt, and whether it connects; plan() runs as soon as the attempt starts. */
  end: number;
  ok: boolean;
  timer: TimerId | null;
}

interface Session {
  iface: AttemptSpec["iface"];
  ssid: string | undefined;
  /** The proxy the session tunnels through, if any. */
  proxy: AttemptContext["proxy"];
  lastRx: number;
  keepalive: TimerId;
  /** Unacknowledged data held while the server is silent. */
  buffer: { message: Outbound; bytes: number; onAck: (() => void) | undefined }[];
  bufferedBytes: number;
  acksInFlight: number;
  drained: (() => void)[];
}

/** An outcome's layer records when nobody reads them. */
const NO_RECORDS = Object.freeze([]) as unknown as LayerRecord[];

/**
 * A link's keepalive timer, or its attempt-end timer: the link is what it
 * calls, so a link needs no bound callbacks. A link re-arms the same object
 * once it has fired (a keepalive every minute, attempt after attempt); a
 * timer object per setting would outlive young-generation collections by
 * the million.
 */
class LinkTimer extends Timer {
  constructor(
    private readonly link: SimLink,
    private readonly keepalive: boolean,
  ) {
    super();
  }

  fire(): void {
    if (this.keepalive) this.link.keepaliveDue();
    else this.link.attemptDue();
  }
}

/** The last timer if it has fired (or never ran), else a new one: a pending or cleared timer cannot be scheduled again. */
function timerFor(last: LinkTimer | null, link: SimLink, keepalive: boolean): LinkTimer {
  return last !== null && last.reusable ? last : new LinkTimer(link, keepalive);
}

/** One device's view of the simulated network: attempts walk the world's layers on the virtual clock. */
export class SimLink implements DeviceLink, Listed {
  /** Its place among the world's attempting links (InsertionList's). */
  listedAs = 0;
  private attempt: LiveAttempt | null = null;
  /** The record of the last attempt, for the next one; it is read no more once put here. */
  private spare: LiveAttempt | null = null;
  /** The timer objects of the two timers a link keeps re-setting (see LinkTimer). */
  private keepaliveTimer: LinkTimer | null = null;
  private finishTimer: LinkTimer | null = null;
  private session: Session | null = null;
  listener: LinkListener | null = null;

  constructor(
    readonly device: DeviceModel,
    private readonly world: SimWorld,
    private readonly clock: Clock,
  ) {}

  get connected(): boolean {
    return this.session !== null;
  }

  startAttempt(spec: AttemptSpec): void {
    this.cancelAttempt();
    const proxy = spec.iface === "cell" ? undefined : this.device.proxy;
    const layers = layersFor(spec.iface, {
      proxy: proxy !== undefined,
      wps: spec.wps,
      session: this.device.release >= 40, // R14
    });
    // The link's one attempt record, reused: a fleet starts millions of attempts, each alive for seconds.
    const a = this.spare ?? { spec, ctx: { iface: spec.iface, wifi: undefined, proxy: undefined, wpsNetwork: undefined }, layers, results: [], end: 0, ok: false, timer: null };
    this.spare = null;
    a.spec = spec;
    a.ctx.iface = spec.iface;
    a.ctx.wifi = spec.wifi ?? this.device.wifi;
    a.ctx.proxy = proxy;
    a.ctx.wpsNetwork = undefined;
    a.layers = layers;
    a.results.fill(undefined);
    a.end = 0;
    a.ok = false;
    a.timer = null;
    this.attempt = a;
    this.world.attempting.add(this);
    this.plan(spec.startedAt);
  }

  setDeadline(id: number, deadline: number): void {
    if (this.attempt?.spec.id !== id) return;
    this.attempt.spec = { ...this.attempt.spec, deadline };
    this.plan(this.clock.now());
  }

  abortAttempt(id: number): AttemptOutcome {
    const a = this.attempt;
    if (a === null || a.spec.id !== id) return { ok: false, reason: C.NOT_CONNECTED, layers: [] };
    const now = this.clock.now();
    const layers: LayerRecord[] = [];
    let inProgress: LayerRecord | undefined;
    const steps = this.steps(a, true).layers;
    for (const s of steps) {
      if (s.start > now) break;
      if (s.start + s.ms > now || (s === steps[steps.length - 1] && !a.ok)) {
        inProgress = { ...s, ms: now - s.start, ok: false };
        layers.push(inProgress);
        break;
      }
      layers.push(s);
    }
    const layer = inProgress?.layer ?? a.layers[0]!;
    this.cancelAttempt();
    return {
      ok: false,
      reason: reasonForRelease(LAYER_REASON[layer as LayerName], this.device.release),
      layer,
      layers,
    };
  }

  /** Re-reads the world after an event: layers not yet started see the change. */
  worldChanged(): void {
    if (this.attempt !== null) this.plan(this.clock.now());
    if (this.session !== null) this.checkSession();
  }

  send(message: Outbound, onAck?: () => void): SendResult {
    const s = this.session;
    if (s === null) throw new Error("send without a session");
    const bytes = message.kind === "log" ? message.text.length : message.bytes;
    if (this.reachable()) {
      this.world.server.receive(this.device.id, message);
      if (onAck !== undefined) this.ackLater(s, onAck);
      return "sent";
    }
    if (s.bufferedBytes + bytes > SEND_BUFFER_BYTES) return "wouldblock";
    s.buffer.push({ message, bytes, onAck });
    s.bufferedBytes += bytes;
    return "sent";
  }

  whenDrained(callback: () => void): void {
    const s = this.session;
    if (s === null) return;
    if (s.buffer.length === 0 && s.acksInFlight === 0) this.clock.setTimer(0, callback);
    else s.drained.push(callback);
  }

  closeSession(): void {
    const s = this.session;
    if (s === null) return;
    this.clock.clearTimer(s.keepalive);
    this.session = null;
    this.world.sessions.delete(this);
    this.world.server.online(this.device.id, false);
  }

  /** The agent's message reaches the device if the session can carry it. */
  deliverFromAgent(name: string, data: unknown): boolean {
    const s = this.session;
    if (s === null || !this.reachable()) return false;
    s.lastRx = this.clock.now();
    this.listener?.message(name, data);
    return true;
  }

  private cancelAttempt(): void {
    const a = this.attempt;
    if (a === null) return;
    if (a.timer !== null) this.clock.clearTimer(a.timer);
    this.attempt = null;
    this.spare = a;
    this.world.attempting.delete(this);
  }

  /**
   * Evaluates the layers that have not started yet against the world as it is
   * now, and sets the timer for the attempt's end. Only where and how the
   * attempt ends is kept: its steps and outcome follow from the results, and
   * are built once, when someone asks (steps()), not at every re-plan.
   */
  private plan(now: number): void {
    const a = this.attempt!;
    const { startedAt, deadline } = a.spec;
    const timings = this.world.timings;
    let t = startedAt;
    let ok = true;
    for (let i = 0; i < a.layers.length; i++) {
      let r = a.results[i];
      if (r === undefined || t >= now) {
        r = evaluateLayer(a.layers[i]!, this.world.model, this.device, timings, a.ctx);
        a.results[i] = r;
      }
      const end = t + r.ms;
      if (end > deadline) {
        t = deadline;
        ok = false;
        break;
      }
      t = end;
      if (!r.ok) {
        ok = false;
        break;
      }
    }
    if (a.timer !== null && a.end === t && a.ok === ok) return; // same end, same verdict: keep the timer
    if (a.timer !== null) this.clock.clearTimer(a.timer);
    a.ok = ok;
    a.end = t;
    a.timer = schedule(this.clock, t - this.clock.now(), (this.finishTimer = timerFor(this.finishTimer, this, false)));
  }

  /**
   * The attempt's steps and outcome as the last plan() left them: the same
   * walk over the same results. Without `records` (nobody reads them) the
   * outcome has no layer records and no detail: only what the device acts on.
   */
  private steps(a: LiveAttempt, records = this.world.records): AttemptOutcome {
    const { startedAt, deadline } = a.spec;
    const steps: LayerRecord[] = records ? [] : NO_RECORDS;
    let t = startedAt;
    let outcome: AttemptOutcome | undefined;
    let firstOk = false;
    for (let i = 0; i < a.layers.length && outcome === undefined; i++) {
      const layer = a.layers[i]!;
      const r = a.results[i]!;
      const end = t + r.ms;
      if (end > deadline) {
        if (records) steps.push({ layer, start: t, ms: deadline - t, ok: false });
        const detail = !records ? undefined : r.ok ? `timed out during ${layer}` : `${r.detail ?? layer} (timed out)`;
        outcome = this.failure(layer, LAYER_REASON[layer], detail, steps);
        t = deadline;
      } else if (!r.ok) {
        if (records) steps.push({ layer, start: t, ms: r.ms, ok: false });
        outcome = this.failure(layer, r.reason, records ? r.detail : undefined, steps);
        t = end;
      } else {
        if (records) steps.push({ layer, start: t, ms: r.ms, ok: true });
        if (i === 0) firstOk = true;
        t = end;
      }
    }
    outcome ??= { ok: true, reason: C.SERVER_CONNECTED, layers: steps };
    if (a.ctx.wpsNetwork !== undefined && a.layers[0] === "wps" && firstOk) outcome.wpsNetwork = a.ctx.wpsNetwork;
    return outcome;
  }

  private failure(layer: LayerName, reason: number, detail: string | undefined, steps: LayerRecord[]): AttemptOutcome {
    const out: AttemptOutcome = { ok: false, reason: reasonForRelease(reason, this.device.release), layer, layers: steps };
    if (detail !== undefined) out.detail = detail;
    return out;
  }

  /** The attempt's end: called by its timer. */
  attemptDue(): void {
    const a = this.attempt!;
    a.timer = null;
    this.attempt = null;
    this.world.attempting.delete(this);
    const outcome = this.steps(a);
    const id = a.spec.id;
    if (outcome.ok) {
      this.openSession(a);
      // Connected, it may stay so for the rest of the run: a fleet's steady state keeps no attempt record.
      this.finishTimer = null;
    } else this.spare = a; // before the listener, which may start the next attempt
    this.listener?.attemptEnded(id, outcome);
  }

  private openSession(a: LiveAttempt): void {
    const now = this.clock.now();
    const ssid = a.spec.iface === "wifi" ? (a.ctx.wpsNetwork ?? a.ctx.wifi)?.ssid : undefined;
    this.session = {
      iface: a.spec.iface,
      ssid,
      proxy: a.ctx.proxy,
      lastRx: now,
      keepalive: this.keepaliveIn(KEEPALIVE_IDLE_MS),
      buffer: [],
      bufferedBytes: 0,
      acksInFlight: 0,
      drained: [],
    };
    this.world.sessions.add(this);
    this.world.server.online(this.device.id, true);
    if (this.device.release < 40 && !this.world.model.server.accept) {
      // R14: before 40 the device counted as connected at TCP/TLS; the refusal comes after.
      const s = this.session;
      this.clock.setTimer(this.world.timings.session, () => {
        if (this.session === s) this.drop(C.NO_SERVER, "the server refused the session");
      });
    }
  }

  private keepaliveIn(ms: number): TimerId {
    this.keepaliveTimer = timerFor(this.keepaliveTimer, this, true);
    return schedule(this.clock, ms, this.keepaliveTimer);
  }

  /** R27: silence for KEEPALIVE_IDLE_MS → probe; no answer in KEEPALIVE_GRACE_MS → dead. Called by the keepalive timer. */
  keepaliveDue(): void {
    const s = this.session!;
    const now = this.clock.now();
    if (now < s.lastRx + KEEPALIVE_IDLE_MS) {
      s.keepalive = this.keepaliveIn(s.lastRx + KEEPALIVE_IDLE_MS - now);
      return;
    }
    if (this.reachable()) {
      s.lastRx = now + this.world.timings.tcp;
      s.keepalive = this.keepaliveIn(s.lastRx + KEEPALIVE_IDLE_MS - now);
      return;
    }
    s.keepalive = this.clock.setTimer(KEEPALIVE_GRACE_MS, () => {
      if (this.reachable()) {
        s.lastRx = this.clock.now();
        this.flushBuffer(s);
        s.keepalive = this.keepaliveIn(KEEPALIVE_IDLE_MS);
      } else {
        this.drop(C.NO_SERVER, `keepalive: no answer within ${KEEPALIVE_GRACE_MS / 1000} s`);
      }
    });
  }

  private checkSession(): void {
    const s = this.session!;
    const lost = this.linkFault(s);
    if (lost !== null) return this.drop(lost.reason, lost.detail);
    const server = this.world.model.server;
    if (!server.up && server.failure === "refuse") return this.drop(C.NO_SERVER, "connection reset by the server");
    if (this.reachable()) this.flushBuffer(s);
  }

  /**
   * Whether the server can hear this session now. Cellular internet going away
   * behind a live PPP link is silent: keepalive finds it (R27).
   */
  private reachable(): boolean {
    const w = this.world.model;
    return w.server.up && (this.session?.iface !== "cell" || w.cell.internet);
  }

  /** A local link loss, or the proxy the session runs through going down, is seen at once (R27). */
  private linkFault(s: Session): { reason: number; detail: string } | null {
    const w = this.world.model;
    const d = this.device;
    const r = (reason: number, detail: string) => ({ reason: reasonForRelease(reason, d.release), detail });
    const proxy = s.proxy;
    if (proxy !== undefined && !w.proxies.some((p) => p.host === proxy.host && p.port === proxy.port && p.up))
      return r(C.NO_PROXY, `proxy ${proxy.host}:${proxy.port} closed the tunnel`);
    switch (s.iface) {
      case "wifi": {
        const ap = w.wifi.find((a) => a.ssid === s.ssid);
        return ap === undefined ? r(C.NO_WIFI, `lost access point "${s.ssid ?? ""}"`) : null;
      }
      case "ethernet":
        return w.ethernet.link ? null : r(C.NO_LINK, "carrier lost");
      case "cell":
        if (!d.cell.modem) return r(C.NO_MODEM, "modem gone");
        if (d.cell.sim !== "ok") return r(C.SIM_ERROR, `SIM ${d.cell.sim}`);
        if (w.cell.registration === "none") return r(C.NO_REGISTRATION, "lost the cellular network");
        if (w.cell.registration === "denied") return r(C.REGISTRATION_DENIED, "deregistered by the network");
        if (!w.cell.ppp) return r(C.NO_PPP_CONNECTION, "PPP session ended");
        return null;
    }
  }

  private drop(reason: number, detail: string): void {
    this.closeSession();
    this.listener?.lost(reason, detail);
  }

  private flushBuffer(s: Session): void {
    const held = s.buffer;
    if (held.length === 0) return;
    s.buffer = [];
    s.bufferedBytes = 0;
    for (const h of held) {
      this.world.server.receive(this.device.id, h.message);
      if (h.onAck !== undefined) this.ackLater(s, h.onAck);
    }
    this.notifyDrained(s);
  }

  private ackLater(s: Session, onAck: () => void): void {
    s.acksInFlight++;
    this.clock.setTimer(this.world.timings.tcp, () => {
      s.acksInFlight--;
      if (this.session !== s) return;
      s.lastRx = this.clock.now();
      onAck();
      this.notifyDrained(s);
    });
  }

  private notifyDrained(s: Session): void {
    if (s.buffer.length > 0 || s.acksInFlight > 0 || s.drained.length === 0) return;
    const waiting = s.drained;
    s.drained = [];
    for (const cb of waiting) cb();
  }
}
