import type { Clock, TimerId } from "./clock.js";

/**
 * A timer that is its own callback: the clock queues the object and calls its
 * `fire()`. A fleet schedules millions of timers that wait a minute or more;
 * as a closure plus the clock's entry for it, each was three objects that
 * lived long enough to be copied by every young-generation collection, where
 * the object that wants the call can carry it alone.
 *
 * One-shot: a timer is scheduled once, then fires or is cleared once. (A
 * cleared timer may still sit in the clock's queue; scheduling it again
 * could make it fire twice.)
 */
export abstract class Timer {
  /** The clock's bookkeeping: 0 not yet scheduled, 1 pending, 2 fired or cleared. */
  clockState: 0 | 1 | 2 = 0;

  abstract fire(): void;
}

/** Schedules `timer` on `clock`: as the object itself where the clock can queue one, through a closure elsewhere. */
export function schedule(clock: Clock, delayMs: number, timer: Timer): TimerId {
  if (clock.schedule !== undefined) return clock.schedule(delayMs, timer);
  return clock.setTimer(delayMs, () => timer.fire());
}
