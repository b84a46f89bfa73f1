import type { Clock, TimerId } from "./clock.js";

/** A zero-delay timer is an immediate: setTimeout(fn, 0) waits at least 1 ms. */
class Immediate {
  constructor(readonly handle: NodeJS.Immediate) {}
}

/**
 * Wall-clock time for the real network stack. Zero-delay timers (a device's
 * "later turn") run on setImmediate, after pending I/O, without the 1 ms floor
 * of setTimeout.
 */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(delayMs: number, fn: () => void): TimerId {
    if (!(delayMs > 0)) return new Immediate(setImmediate(fn)) as unknown as TimerId;
    return setTimeout(fn, delayMs) as unknown as TimerId;
  }

  clearTimer(id: TimerId): void {
    const timer: unknown = id;
    if (timer instanceof Immediate) clearImmediate(timer.handle);
    else clearTimeout(timer as NodeJS.Timeout);
  }
}

/** Wall time for benchmarks and the CLI; never for protocol timing. */
export function wallMs(): number {
  return performance.now();
}

/** Lets pending promise continuations run before the virtual clock moves on. */
export function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
