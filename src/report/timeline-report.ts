import type { TimelineEvent, TimelineSink } from "../timeline/events.js";
import { curveStep, sampleCurve } from "./curves.js";
import { htmlPage } from "./html-page.js";

/** Devices drawn as strips, in the scenario's order; past this the page adds the fleet's curves, and the rest are counted only. */
export const STRIP_DEVICES = 50;
/** Lines kept per strip device; a longer timeline says how many more there were. */
export const LINES_PER_DEVICE = 5000;

export interface TimelineReportData {
  file: string;
  seed: number;
  durationMs: number;
  devices: number;
  /** The first STRIP_DEVICES devices, each with its lines (without `device`). */
  strips: { id: string; lines: Omit<TimelineEvent, "device">[]; more: number }[];
  world: { t: number; set: Record<string, unknown> }[];
  /** The whole fleet, per step: devices connected at its end, attempts ended in it by reason. */
  fleet: { stepMs: number; connected: number[]; attempts: Record<string, number[]> };
}

/**
 * Keeps what `impnet sim --html` draws: every line of the first devices, the
 * world's changes, and for the whole fleet only counts per second (a fleet of
 * 100,000 costs a byte a device and the curves).
 */
export class TimelineReportSink implements TimelineSink {
  private readonly index = new Map<string, number>();
  private readonly online: Uint8Array;
  private readonly strips: TimelineReportData["strips"];
  private readonly world: TimelineReportData["world"] = [];
  private readonly connected: Uint32Array;
  private readonly attempts = new Map<string, Uint32Array>();
  private count = 0;
  private second = 0;

  constructor(
    ids: readonly string[],
    private readonly durationMs: number,
  ) {
    ids.forEach((id, i) => this.index.set(id, i));
    this.online = new Uint8Array(ids.length);
    this.strips = ids.slice(0, STRIP_DEVICES).map((id) => ({ id, lines: [], more: 0 }));
    this.connected = new Uint32Array(Math.ceil(durationMs / 1000) + 1);
  }

  write(e: TimelineEvent): void {
    this.advance(e.t);
    if (e.type === "world") {
      this.world.push({ t: e.t, set: e.set });
      return;
    }
    const i = this.index.get(e.device);
    if (i === undefined) return;
    const strip = this.strips[i];
    if (strip !== undefined) {
      if (strip.lines.length < LINES_PER_DEVICE) {
        const { device: _, ...line } = e;
        strip.lines.push(line);
      } else strip.more++;
    }
    if (e.type === "attempt") {
      let perSecond = this.attempts.get(e.reasonName);
      if (perSecond === undefined) this.attempts.set(e.reasonName, (perSecond = new Uint32Array(this.connected.length)));
      perSecond[this.slot(e.t)]!++;
    } else if (e.type === "connected") this.set(i, 1);
    else if (e.type === "disconnected" || e.type === "sleep") this.set(i, 0);
  }

  data(file: string, seed: number): TimelineReportData {
    while (this.second < this.connected.length) this.connected[this.second++] = this.count;
    const step = curveStep(this.connected.length);
    const sampled = (perSecond: Uint32Array, sum: boolean) => sampleCurve(perSecond, step, sum);
    return {
      file,
      seed,
      durationMs: this.durationMs,
      devices: this.online.length,
      strips: this.strips,
      world: this.world,
      fleet: { stepMs: step * 1000, connected: sampled(this.connected, false), attempts: Object.fromEntries([...this.attempts].map(([why, perSecond]) => [why, sampled(perSecond, true)])) },
    };
  }

  private set(i: number, state: 0 | 1): void {
    if (this.online[i] === state) return;
    this.online[i] = state;
    this.count += state === 1 ? 1 : -1;
  }

  private advance(t: number): void {
    const now = this.slot(t);
    while (this.second < now) this.connected[this.second++] = this.count;
  }

  private slot(t: number): number {
    return Math.min(this.connected.length - 1, Math.max(0, Math.floor(t / 1000)));
  }
}

/** `impnet sim --html`: a strip per device over time (attempts by reason, online, asleep), its logs, the fleet's curves. */
export function timelineReportHtml(data: TimelineReportData): string {
  return htmlPage({ title: `impnet sim: ${data.file}`, script: "timeline-report.js", data });
}
