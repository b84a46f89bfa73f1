import type { Clock, TimerId } from "./clock.js";

/** Wall-clock time for the real network stack. */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(delayMs: number, fn: () => void): TimerId {
    return setTimeout(fn, Math.max(0, delayMs)) as unknown as TimerId;
  }

  clearTimer(id: TimerId): void {
    clearTimeout(id as unknown as NodeJS.Timeout);
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
