import type { TimelineEvent } from "../../timeline/events.js";
import { encodeReport, isReported, REPORT_CHUNK_LINES, REPORT_LINES } from "../../wire/device-report.js";
import type { ReportedLine } from "../../wire/device-report.js";

/** Where a report goes: the live session, once it has greeted the cloud. */
export interface ReportChannel {
  readonly greeted: boolean;
  /** Sends one report; `sent(false)` if it was not written. A session that dies may never call back. */
  report(payload: string, sent: (ok: boolean) => void): void;
}

interface InFlight {
  channel: ReportChannel;
  lines: ReportedLine[];
  dropped: number;
}

/**
 * The device's lines the cloud has not been told yet (wire/device-report.ts),
 * and their sending. While the device cannot send, it keeps at most
 * REPORT_LINES, the oldest going first (what failed just now says more than
 * what failed an hour ago), and counts what it let go. Once connected, it
 * sends them REPORT_CHUNK_LINES at a time, one report in flight: a large one
 * would fill the socket the program's own sends are measured against. A
 * report on a session that died unanswered is sent again on the next.
 */
export class DeviceReporter {
  private lines: ReportedLine[] = [];
  private dropped = 0;
  private inFlight: InFlight | null = null;

  constructor(private readonly now: () => number) {}

  /** Keeps a line the cloud should hear of (false for any other) and sends it if `channel` can. */
  record(line: TimelineEvent, channel: ReportChannel | null): boolean {
    if (!isReported(line)) return false;
    this.lines.push(line);
    this.trim();
    this.flush(channel);
    return true;
  }

  /** Sends what waits, if `channel` has greeted and nothing is in flight on it. */
  flush(channel: ReportChannel | null): void {
    const flight = this.inFlight;
    if (flight !== null) {
      if (flight.channel === channel) return;
      // Its session is gone, and with it any word of the report.
      this.putBack(flight);
      this.inFlight = null;
    }
    if (channel === null || !channel.greeted || (this.lines.length === 0 && this.dropped === 0)) return;
    const next: InFlight = { channel, lines: this.lines.splice(0, REPORT_CHUNK_LINES), dropped: this.dropped };
    this.dropped = 0;
    this.inFlight = next;
    channel.report(encodeReport(this.now(), next.lines, next.dropped), (ok) => {
      if (this.inFlight !== next) return; // already put back
      this.inFlight = null;
      if (ok) this.flush(channel);
      else this.putBack(next);
    });
  }

  private putBack(flight: InFlight): void {
    this.lines = [...flight.lines, ...this.lines];
    this.dropped += flight.dropped;
    this.trim();
  }

  private trim(): void {
    const over = this.lines.length - REPORT_LINES;
    if (over <= 0) return;
    this.lines.splice(0, over);
    this.dropped += over;
  }
}
