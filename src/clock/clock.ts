import type { Timer } from "./timer.js";

declare const timerBrand: unique symbol;

/** A timer handle, opaque to callers. */
export type TimerId = { readonly [timerBrand]: "TimerId" };

/**
 * The only way impnet reads time or waits. The simulator injects a VirtualClock;
 * the real stack the RealClock. Times are milliseconds.
 */
export interface Clock {
  now(): number;
  setTimer(delayMs: number, fn: () => void): TimerId;
  clearTimer(id: TimerId): void;
  /**
   * Queues a timer object that is its own callback (see Timer); its handle is
   * the object. Optional: schedule() in timer.ts wraps it in a closure for a
   * clock without it.
   */
  schedule?(delayMs: number, timer: Timer): TimerId;
}
