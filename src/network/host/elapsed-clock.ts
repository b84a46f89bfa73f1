import type { Clock, TimerId } from "../../clock/clock.js";

/**
 * A clock that counts from its creation, so that a real-stack run's timeline
 * has the same `t` (ms since the run's start) as a simulated one. It knows
 * its live timers, so a command can end a run without programs' timers
 * keeping the process alive.
 */
export class ElapsedClock implements Clock {
  /** The base clock's time at t = 0. */
  readonly origin: number;
  private readonly live = new Set<TimerId>();
  private disposed = false;

  constructor(private readonly base: Clock) {
    this.origin = base.now();
  }

  now(): number {
    return this.base.now() - this.origin;
  }

  setTimer(delayMs: number, fn: () => void): TimerId {
    if (this.disposed) return this.base.setTimer(0, () => {}); // inert: the run is over
    const id = this.base.setTimer(delayMs, () => {
      this.live.delete(id);
      fn();
    });
    this.live.add(id);
    return id;
  }

  clearTimer(id: TimerId): void {
    this.live.delete(id);
    this.base.clearTimer(id);
  }

  /** Cancels every pending timer; later ones never fire. */
  dispose(): void {
    this.disposed = true;
    for (const id of this.live) this.base.clearTimer(id);
    this.live.clear();
  }
}
