import { wallMs } from "../clock/real-clock.js";
import { formatTime } from "../timeline/human.js";

const WIDTH = 20;

/** What erases a bar's line: written before each drawing, and by `clear()`. */
export const CLEAR_LINE = "\r\x1b[K";

/** One drawing of a bar: `label [####................] 20% text`, over the line it replaces. */
export function barLine(label: string, share: number, text: string): string {
  const filled = Math.round(share * WIDTH);
  return `${CLEAR_LINE}${label} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${Math.floor(share * 100)}% ${text}`;
}

/**
 * A progress bar on a terminal's stderr, rewritten in place: how much of the
 * run's time is done, the wall time, events a second and, when counted,
 * devices connected. `clear()` erases it before the results are printed.
 */
export class ProgressBar {
  private readonly started = wallMs();

  constructor(
    private readonly stderr: { write(s: string): unknown },
    private readonly label: string,
    private readonly durationMs: number,
    /** "virtual" or "real time". */
    private readonly time: string,
    /** What the events are ("events", "lines"). */
    private readonly unit = "events",
  ) {}

  update(doneMs: number, events: number, connected?: number): void {
    const share = this.durationMs > 0 ? Math.min(1, doneMs / this.durationMs) : 1;
    const wall = (wallMs() - this.started) / 1000;
    const rate = wall > 0 ? Math.round(events / wall).toLocaleString("en-US") : "-";
    const online = connected === undefined ? "" : `, ${connected.toLocaleString("en-US")} connected`;
    this.stderr.write(barLine(this.label, share, `${formatTime(doneMs)} of ${formatTime(this.durationMs)} ${this.time}, ${wall.toFixed(1)} s wall, ${rate} ${this.unit}/s${online}`));
  }

  clear(): void {
    this.stderr.write(CLEAR_LINE);
  }
}
