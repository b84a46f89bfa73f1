import type { TimelineEvent, TimelineSink } from "../../timeline/events.js";

/** One device as the cloud sees it. */
export interface DeviceRecord {
  id: string;
  state: "online" | "offline" | "never seen";
  /** Cloud ms (the timeline's t) of the last change of state, null before the first login. */
  since: number | null;
  /** Where its session came from (online), or why it ended or was refused (offline). */
  last: string;
  connects: number;
  refusals: number;
  logs: number;
}

export interface MinuteCounts {
  /** Cloud ms at the minute's start. */
  at: number;
  connects: number;
  /** Sessions that ended other than by the device's own goodbye, and logins refused. */
  failures: number;
  /** Device messages and log lines the cloud received. */
  messages: number;
}

export interface BoardLine {
  id: string;
  t: number;
  text: string;
  error: boolean;
}

export type BoardUpdate = { kind: "device"; device: DeviceRecord } | { kind: "log"; line: BoardLine } | { kind: "minute"; minute: MinuteCounts };

/** Log lines kept per device for the page: at 10,000 devices that logging is still a few tens of MB. */
export const LOGS_PER_DEVICE = 50;
/** Minutes of counts kept. */
export const MINUTES = 60;

/**
 * The dashboard's model, fed by the cloud's timeline: every device's state
 * and last reason, its latest log lines, and counts per minute across the
 * fleet. Each change is handed to the subscribers (the open pages) as it
 * happens. Holds no secret: the timeline never carries one.
 */
export class DeviceBoard implements TimelineSink {
  private readonly devices = new Map<string, DeviceRecord>();
  private readonly logs = new Map<string, BoardLine[]>();
  private readonly minutes: MinuteCounts[] = [];
  private readonly subscribers = new Set<(u: BoardUpdate) => void>();

  /** Devices the registry knows, shown before their first login. */
  know(ids: Iterable<string>): void {
    for (const id of ids) if (!this.devices.has(id)) this.devices.set(id, { id, state: "never seen", since: null, last: "", connects: 0, refusals: 0, logs: 0 });
  }

  write(e: TimelineEvent): void {
    switch (e.type) {
      case "online":
        if (e.kind !== "device") return;
        this.change(e.device, e.t, (d) => {
          d.state = "online";
          d.since = e.t;
          d.last = e.from === undefined ? "" : `from ${e.from}`;
          d.connects++;
        });
        return this.count(e.t, "connects");
      case "offline":
        if (e.kind !== "device") return;
        this.change(e.device, e.t, (d) => {
          d.state = "offline";
          d.since = e.t;
          d.last = e.why;
        });
        if (e.why !== "disconnected") this.count(e.t, "failures");
        return;
      case "refused":
        // Only a device the board knows gets the line: anyone can claim an id, and unknown ones would grow the board without end.
        if (this.devices.has(e.device)) this.change(e.device, e.t, (d) => void (d.refusals++, (d.last = `login refused: ${e.why}`)));
        return this.count(e.t, "failures");
      case "log":
        if (e.agent === true) return;
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

  /** Everything, for a page that has just opened. */
  snapshot(): { devices: DeviceRecord[]; logs: BoardLine[]; minutes: MinuteCounts[] } {
    return { devices: [...this.devices.values()], logs: [...this.logs.values()].flat().sort((a, b) => a.t - b.t), minutes: [...this.minutes] };
  }

  subscribe(fn: (u: BoardUpdate) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  private change(id: string, t: number, apply: (d: DeviceRecord) => void): void {
    this.know([id]);
    const d = this.devices.get(id)!;
    apply(d);
    this.publish({ kind: "device", device: { ...d } });
  }

  private log(line: BoardLine): void {
    let lines = this.logs.get(line.id);
    if (lines === undefined) this.logs.set(line.id, (lines = []));
    lines.push(line);
    if (lines.length > LOGS_PER_DEVICE) lines.shift();
    const d = this.devices.get(line.id);
    if (d !== undefined) d.logs++;
    this.publish({ kind: "log", line });
  }

  private count(t: number, what: "connects" | "failures" | "messages"): void {
    const at = Math.floor(t / 60_000) * 60_000;
    let minute = this.minutes.at(-1);
    if (minute === undefined || minute.at !== at) {
      this.minutes.push((minute = { at, connects: 0, failures: 0, messages: 0 }));
      if (this.minutes.length > MINUTES) this.minutes.shift();
    }
    minute[what]++;
    this.publish({ kind: "minute", minute: { ...minute } });
  }

  private publish(u: BoardUpdate): void {
    for (const fn of this.subscribers) fn(u);
  }
}
