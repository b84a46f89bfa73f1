import type { TimelineEvent } from "../../timeline/events.js";
import { encodeReport, isReported, REPORT_LINES } from "../../wire/device-report.js";
import type { ReportedLine } from "../../wire/device-report.js";

/** What one report carried: handed back if it could not be sent. */
export interface TakenReport {
  payload: string;
  lines: ReportedLine[];
  dropped: number;
}

/**
 * The device's lines the cloud has not been told yet (wire/device-report.ts):
 * kept while the device cannot send, at most REPORT_LINES of them, the oldest
 * going first (what failed just now says more than what failed an hour ago).
 */
export class ReportBuffer {
  private lines: ReportedLine[] = [];
  private dropped = 0;

  /** Keeps a line the cloud should hear of; false for any other. */
  add(e: TimelineEvent): boolean {
    if (!isReported(e)) return false;
    this.lines.push(e);
    this.trim();
    return true;
  }

  get empty(): boolean {
    return this.lines.length === 0 && this.dropped === 0;
  }

  take(now: number): TakenReport {
    const taken = { payload: encodeReport(now, this.lines, this.dropped), lines: this.lines, dropped: this.dropped };
    this.lines = [];
    this.dropped = 0;
    return taken;
  }

  putBack(taken: TakenReport): void {
    this.lines = [...taken.lines, ...this.lines];
    this.dropped += taken.dropped;
    this.trim();
  }

  private trim(): void {
    const over = this.lines.length - REPORT_LINES;
    if (over <= 0) return;
    this.lines.splice(0, over);
    this.dropped += over;
  }
}
