import type { ResolvedRetry } from "./settings.js";

/**
 * Seconds to wait before the retry that follows `failures` consecutive failed
 * attempts (failures >= 1), capped exponential backoff:
 *
 *   step(n) = min(maxDelay, minDelay · 2^(n-1))     minDelay, 2·minDelay, 4·minDelay, … maxDelay
 *   "none": step(n)
 *   "full": uniform in [minDelay, step(n+1)]
 *
 * Full jitter draws up to the *next* step so that even the first retry is
 * spread (a fleet that lost the server together would otherwise retry
 * together), and its mean stays near step(n). minDelay stays a floor: the
 * setting exists to save batteries, so no draw goes under it.
 *
 * `unit` is a draw in [0, 1). The result is rounded to whole milliseconds, the
 * device clock's resolution.
 */
export function retryDelay(retry: ResolvedRetry, failures: number, unit: number): number {
  const n = Math.max(1, Math.floor(failures));
  const step = (k: number) => Math.min(retry.maxDelay, retry.minDelay * 2 ** (k - 1));
  const seconds = retry.jitter === "none" ? step(n) : retry.minDelay + unit * (step(n + 1) - retry.minDelay);
  return Math.min(retry.maxDelay, Math.max(retry.minDelay, Math.round(seconds * 1000) / 1000));
}
