import { SERVER_CONNECTED } from "../../constants.js";
import type { TimelineEvent, TimelineSink } from "../../timeline/events.js";
import type { ReportedLine } from "../../wire/device-report.js";

/**
 * One device as the cloud sees it. Online, offline and refused are the
 * cloud's own knowledge; asleep, the interface and the failed attempts are
 * what the device reported (a device cannot tell anyone it is failing until
 * it has connected again).
 */
export interface DeviceRecord {
  id: string;
  state: "online" | "offline" | "asleep" | "never seen";
  /** Cloud ms (the timeline's t) of the last change of state, null before the first login. */
  since: number | null;
  /** Where its session came from (online), or why it ended or was refused (offline), or how long it sleeps (asleep). */
  last: string;
  /** The interface of its last connection, as it reported it ("" before its first report). */
  interface: string;
  connects: number;
  refusals: number;
  logs: number;
  /** Failed attempts it reported, and the last one's reason, layer and detail. */
  failed: number;
  lastFailure: string;
  /** Lines it could not keep while it could not send (its oldest ones): the strip misses them. */
  lost: number;
}

export interface MinuteCounts {
  /** Cloud ms at the minute's start. */
  at: number;
  connects: number;
  /** Sessions that ended other than by the device's own goodbye, logins refused, and the attempts devices reported failed. */
  failures: number;
  /** Device messages and log lines the cloud received. */
  messages: number;
}

export interface BoardLine {
  id: string;
  t: number;
  text: string;
  error: boolean;
  /** Logged by the device's agent (impCentral shows both in one stream, marked). */
  agent?: true;
}

/**
 * Every update carries the board's sequence number: a page that fetched a
 * device's history skips what it already has. A report says only whose it
 * was: a page that shows that device fetches its history again (reports
 * come in bursts after an outage, and most pages show one device).
 */
export type BoardUpdate =
  | { kind: "device"; seq: number; device: DeviceRecord }
  | { kind: "log"; seq: number; line: BoardLine }
  | { kind: "report"; seq: number; id: string }
  | { kind: "minute"; seq: number; minute: MinuteCounts };

/** Log lines kept per device for the page: at 10,000 devices that logging is still a few tens of MB. */
export const LOGS_PER_DEVICE = 50;
/** Reported lines kept per device, as many as it keeps itself: about 30 KB a device that fails all day. */
export const STRIP_LINES = 100;
/** Minutes of counts kept. */
export const MINUTES = 60;

type Counted = "connects" | "failures" | "messages";

const asleepFor = (seconds: number) => `asleep for ${seconds} s`;

/**
 * The dashboard's model, fed by the cloud's timeline and the devices'
 * reports: every device's state and last reason, its latest log lines and
 * reported attempts, and counts per minute across the fleet. Each change is
 * handed to the subscribers (the open pages) as it happens. Holds no secret:
 * neither the timeline nor a report carries one.
 */
export class DeviceBoard implements TimelineSink {
  private readonly devices = new Map<string, DeviceRecord>();
  private readonly logs = new Map<string, BoardLine[]>();
  private readonly lines = new Map<string, ReportedLine[]>();
  /** A device that reported it is going to sleep: for how long, until its session ends. */
  private readonly sleeping = new Map<string, number>();
  private readonly minutes: MinuteCounts[] = [];
  private readonly subscribers = new Set<(u: BoardUpdate) => void>();
  private seq = 0;

  /** Devices the registry knows, shown before their first login. */
  know(ids: Iterable<string>): void {
    for (const id of ids)
      if (!this.devices.has(id)) this.devices.set(id, { id, state: "never seen", since: null, last: "", interface: "", connects: 0, refusals: 0, logs: 0, failed: 0, lastFailure: "", lost: 0 });
  }

  write(e: TimelineEvent): void {
    switch (e.type) {
      case "online":
        if (e.kind !== "device") return;
        this.sleeping.delete(e.device);
        this.change(e.device, (d) => {
          d.state = "online";
          d.since = e.t;
          d.last = e.from === undefined ? "" : `from ${e.from}`;
          d.connects++;
        });
        return this.count(e.t, "connects");
      case "offline": {
        if (e.kind !== "device") return;
        // A device that said it would sleep and then said goodbye is asleep; one that vanished is offline, whatever it said.
        const sleeps = e.why === "disconnected" ? this.sleeping.get(e.device) : undefined;
        this.sleeping.delete(e.device);
        this.change(e.device, (d) => {
          d.state = sleeps === undefined ? "offline" : "asleep";
          d.since = e.t;
          d.last = sleeps === undefined ? e.why : asleepFor(sleeps);
        });
        if (e.why !== "disconnected") this.count(e.t, "failures");
        return;
      }
      case "refused":
        // Only a device the board knows gets the line: anyone can claim an id, and unknown ones would grow the board without end.
        if (this.devices.has(e.device)) this.change(e.device, (d) => void (d.refusals++, (d.last = `login refused: ${e.why}`)));
        return this.count(e.t, "failures");
      case "log":
        if (e.agent === true) return this.log({ id: e.device, t: e.t, text: e.text, error: e.error, agent: true }); // the cloud's own: not a message received
        this.log({ id: e.device, t: e.t, text: e.text, error: e.error });
        return this.count(e.t, "messages");
      case "message":
        if (e.from === "device") this.count(e.t, "messages");
        return;
      case "error":
        if (e.device !== "world") this.log({ id: e.device, t: e.t, text: e.text, error: true });
        return;
      default:
        return;
    }
  }

  /** A device's report of its own lines (cloud/report-watch.ts), already on the cloud's clock. */
  report(id: string, lines: readonly ReportedLine[], dropped: number): void {
    const known = this.devices.get(id);
    if (known === undefined) return; // the broker let it in, but the board has not seen it log in: nothing to hang the lines on
    let kept = this.lines.get(id);
    if (kept === undefined) this.lines.set(id, (kept = []));
    kept.push(...lines);
    kept.sort((a, b) => a.t - b.t); // reports of one device can overtake each other in the broker
    if (kept.length > STRIP_LINES) kept.splice(0, kept.length - STRIP_LINES);
    const failures = new Map<number, number>();
    this.change(id, (d) => {
      for (const l of lines) {
        if (l.type === "connected") d.interface = l.interface;
        if (l.type === "attempt" && l.reason !== SERVER_CONNECTED) {
          d.failed++;
          d.lastFailure = `${l.reasonName}${l.layer === undefined ? "" : ` at ${l.layer}`}${l.detail === undefined ? "" : `: ${l.detail}`}`;
          failures.set(l.t, (failures.get(l.t) ?? 0) + 1);
        }
      }
      d.lost += dropped;
    });
    const last = lines.findLast((l) => l.type === "sleep" || l.type === "connected" || l.type === "disconnected");
    if (last?.type === "sleep") {
      // Its goodbye may have reached the board first: the broker does not keep a connection's publish and its close in order.
      if (known.state === "offline" && known.last === "disconnected" && known.since !== null && known.since >= last.t) this.change(id, (d) => void ((d.state = "asleep"), (d.last = asleepFor(last.seconds))));
      else this.sleeping.set(id, last.seconds);
    }
    this.countAll("failures", failures);
    this.publish({ kind: "report", seq: ++this.seq, id });
  }

  /** Every device and the minutes, for a page that has just opened; `seq` is where its stream of updates takes over. */
  snapshot(): { seq: number; devices: DeviceRecord[]; minutes: MinuteCounts[] } {
    return { seq: this.seq, devices: [...this.devices.values()], minutes: [...this.minutes] };
  }

  /** One device's kept log lines and reported lines, for a page that shows it; null for a device the board does not know. */
  history(id: string): { seq: number; logs: BoardLine[]; lines: ReportedLine[] } | null {
    if (!this.devices.has(id)) return null;
    return { seq: this.seq, logs: [...(this.logs.get(id) ?? [])], lines: [...(this.lines.get(id) ?? [])] };
  }

  subscribe(fn: (u: BoardUpdate) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  private change(id: string, apply: (d: DeviceRecord) => void): void {
    this.know([id]);
    const d = this.devices.get(id)!;
    apply(d);
    this.publish({ kind: "device", seq: ++this.seq, device: { ...d } });
  }

  private log(line: BoardLine): void {
    let lines = this.logs.get(line.id);
    if (lines === undefined) this.logs.set(line.id, (lines = []));
    lines.push(line);
    if (lines.length > LOGS_PER_DEVICE) lines.shift();
    const d = this.devices.get(line.id);
    if (d !== undefined) d.logs++;
    this.publish({ kind: "log", seq: ++this.seq, line });
  }

  private count(t: number, what: Counted): void {
    const minute = this.bump(t, what, 1);
    if (minute !== undefined) this.publish({ kind: "minute", seq: ++this.seq, minute: { ...minute } });
  }

  /** Counts things at their times and tells the pages of each minute touched once: a report brings many, late. */
  private countAll(what: Counted, times: Map<number, number>): void {
    const touched = new Set<MinuteCounts>();
    for (const [t, n] of times) {
      const minute = this.bump(t, what, n);
      if (minute !== undefined) touched.add(minute);
    }
    for (const minute of touched) if (this.minutes.includes(minute)) this.publish({ kind: "minute", seq: ++this.seq, minute: { ...minute } });
  }

  /**
   * Adds `n` to the minute of `t`, which may be an earlier one (reported attempts arrive late);
   * undefined when that minute is older than any kept.
   */
  private bump(t: number, what: Counted, n: number): MinuteCounts | undefined {
    const at = Math.floor(t / 60_000) * 60_000;
    let i = this.minutes.length - 1;
    while (i >= 0 && this.minutes[i]!.at > at) i--;
    let minute = this.minutes[i];
    if (minute?.at !== at) {
      if (i < 0 && this.minutes.length >= MINUTES) return undefined;
      this.minutes.splice(i + 1, 0, (minute = { at, connects: 0, failures: 0, messages: 0 }));
      if (this.minutes.length > MINUTES) this.minutes.shift();
    }
    minute[what] += n;
    return minute;
  }

  private publish(u: BoardUpdate): void {
    for (const fn of this.subscribers) fn(u);
  }
}
