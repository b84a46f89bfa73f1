import type { Clock, TimerId } from "../clock/clock.js";
import { RealClock, wallMs } from "../clock/real-clock.js";
import { barLine, CLEAR_LINE } from "./progress.js";

/** How often the bar is drawn again between updates, so its wall time moves on. */
export const REDRAW_MS = 250;

/**
 * A progress bar that counts things done of a known total (`impnet test`'s
 * test files) rather than time: `label [######..............] 33% 1 of 3
 * files, COUNTS, 0.4 s wall: NOW`. Counts move only when something ends,
 * which on a slow session may be minutes: the bar is drawn again every
 * REDRAW_MS of `clock` so its wall time does not look stuck. `clear()` erases
 * it and stops drawing.
 */
export class CountBar {
  private readonly started = wallMs();
  private done = 0;
  private counts = "";
  private now = "";
  private timer: TimerId | undefined;

  constructor(
    private readonly stderr: { write(s: string): unknown },
    private readonly label: string,
    private readonly total: number,
    /** What is counted against the total ("files"). */
    private readonly noun: string,
    private readonly clock: Clock = new RealClock(),
  ) {}

  /** `done` of the total; `counts`: other counts so far ("3 tests, 0 failures"); `now`: what is running. */
  update(done: number, counts = "", now = ""): void {
    this.done = done;
    this.counts = counts;
    this.now = now;
    this.draw();
  }

  clear(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.stderr.write(CLEAR_LINE);
  }

  private draw(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = this.clock.setTimer(REDRAW_MS, () => this.draw());
    const share = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const wall = (wallMs() - this.started) / 1000;
    const counts = this.counts === "" ? "" : `, ${this.counts}`;
    const now = this.now === "" ? "" : `: ${this.now}`;
    this.stderr.write(barLine(this.label, share, `${this.done} of ${this.total} ${this.noun}${counts}, ${wall.toFixed(1)} s wall${now}`));
  }
}
