import type { TimelineEvent, TimelineSink } from "../timeline/events.js";

/** What one strategy did to the server and how its fleet recovered. */
export interface FleetFigures {
  devices: number;
  /** Attempt lines, all of the run. */
  attempts: number;
  /** Attempts that reached the server (their TCP connect started), per second of virtual time. */
  arrivals: Uint32Array;
  /** Devices connected at the end of each second. */
  connected: Uint32Array;
  /** Virtual ms at which the fleet was 50 %, 99 % and 100 % connected again, counted from `from`; null if never. */
  back: { p50: number | null; p99: number | null; p100: number | null };
  connectedAtEnd: number;
  /** Program errors (error lines). */
  errors: number;
  /** Failed attempts that ended at or after `from`, by reason and the layer that failed ("NO_SERVER at tcp"): why the recovery took what it took. */
  failedAfter: Record<string, number>;
}

/**
 * Counts a fleet's timeline without keeping it: a fleet of a million devices
 * costs a byte per device and two numbers per second of virtual time.
 */
export class FleetSink implements TimelineSink {
  private readonly index = new Map<string, number>();
  private readonly online: Uint8Array;
  private readonly arrivals: Uint32Array;
  private readonly connected: Uint32Array;
  private count = 0;
  /** Timeline lines seen. */
  lines = 0;
  private armed = false;
  private attempts = 0;
  private errors = 0;
  private readonly failedAfter = new Map<string, number>();
  /** The last whole second whose connected count is recorded. */
  private second = 0;
  private readonly back: FleetFigures["back"] = { p50: null, p99: null, p100: null };
  private readonly targets: readonly [keyof FleetFigures["back"], number][];

  /**
   * @param ids the fleet's device ids
   * @param durationMs the run's length
   * @param from recovery is timed from here (the scenario's last event)
   */
  constructor(
    ids: readonly string[],
    durationMs: number,
    private readonly from: number,
  ) {
    ids.forEach((id, i) => this.index.set(id, i));
    this.online = new Uint8Array(ids.length);
    const seconds = Math.ceil(durationMs / 1000) + 1;
    this.arrivals = new Uint32Array(seconds);
    this.connected = new Uint32Array(seconds);
    this.targets = [
      ["p50", Math.ceil(ids.length * 0.5)],
      ["p99", Math.ceil(ids.length * 0.99)],
      ["p100", ids.length],
    ];
  }

  write(e: TimelineEvent): void {
    this.lines++;
    this.advance(e.t);
    if (!this.armed && e.t >= this.from) this.arm();
    switch (e.type) {
      case "attempt": {
        this.attempts++;
        const tcp = e.layers.find((l) => l.layer === "tcp");
        if (tcp !== undefined) this.arrivals[this.slot(tcp.start)]!++;
        if (e.t >= this.from && e.reasonName !== "SERVER_CONNECTED") {
          const why = e.layer === undefined ? e.reasonName : `${e.reasonName} at ${e.layer}`;
          this.failedAfter.set(why, (this.failedAfter.get(why) ?? 0) + 1);
        }
        return;
      }
      case "connected":
        return this.set(e.device, 1, e.t);
      case "disconnected":
      case "sleep":
        return this.set(e.device, 0, e.t);
      case "error":
        this.errors++;
        return;
      default:
        return;
    }
  }

  /** The figures once the run is over. */
  figures(): FleetFigures {
    while (this.second < this.connected.length) this.connected[this.second++] = this.count;
    if (!this.armed) this.arm();
    // Copies: a real run's end still writes lines (its own disconnects) after it has taken its figures.
    return { devices: this.online.length, attempts: this.attempts, arrivals: this.arrivals.slice(), connected: this.connected.slice(), back: { ...this.back }, connectedAtEnd: this.count, errors: this.errors, failedAfter: Object.fromEntries([...this.failedAfter].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) };
  }

  private set(device: string, state: 0 | 1, t: number): void {
    const i = this.index.get(device);
    if (i === undefined || this.online[i] === state) return;
    this.online[i] = state;
    this.count += state === 1 ? 1 : -1;
    if (state === 1 && this.armed) this.reached(t - this.from);
  }

  /** Recovery timing starts: a fleet already connected then took no time. */
  private arm(): void {
    this.armed = true;
    this.reached(0);
  }

  private reached(ms: number): void {
    for (const [name, target] of this.targets) if (this.back[name] === null && this.count >= target) this.back[name] = ms;
  }

  /** Records the connected count of every second that ended before `t`. */
  private advance(t: number): void {
    const now = this.slot(t);
    while (this.second < now) this.connected[this.second++] = this.count;
  }

  private slot(t: number): number {
    return Math.min(this.arrivals.length - 1, Math.max(0, Math.floor(t / 1000)));
  }
}
