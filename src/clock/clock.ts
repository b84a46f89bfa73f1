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
}
