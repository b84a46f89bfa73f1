import type { Clock, TimerId } from "./clock.js";

/**
 * A timer that is its own callback: the clock queues the object and calls its
 * `fire()`. A fleet schedules millions of timers that wait a minute or more;
 * as a closure plus the clock's entry for it, each was three objects that
 * lived long enough to be copied by every young-generation collection, where
 * the object that wants the call can carry it alone.
 *
 * A timer is scheduled again only once it has fired: a cleared timer may
 * still sit in the clock's queue, and scheduling it again could make it fire
 * twice.
 */
export abstract class Timer {
  /** The clock's bookkeeping: 0 never scheduled, 1 pending, 2 cleared, 3 fired. */
  clockState: 0 | 1 | 2 | 3 = 0;
  /** The clock's: the timer after this one at the same deadline, while both are queued. */
  clockNext: Timer | null = null;

  abstract fire(): void;

  /** Whether schedule() may take it now: never scheduled, or fired (and not pending again). */
  get reusable(): boolean {
    return this.clockState === 0 || this.clockState === 3;
  }
}

/** Schedules `timer` on `clock`: as the object itself where the clock can queue one, through a closure elsewhere. */
export function schedule(clock: Clock, delayMs: number, timer: Timer): TimerId {
  if (clock.schedule !== undefined) return clock.schedule(delayMs, timer);
  return clock.setTimer(delayMs, () => timer.fire());
}
