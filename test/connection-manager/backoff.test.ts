// The `retry` setting (fix: no more immediate retries): capped exponential
// backoff, optionally with full jitter drawn from the device's seeded randomness.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConnectionManager } from "impnet";
import type { RetrySettings } from "impnet";
import { retryDelay } from "../../src/connection-manager/backoff.js";
import { simulate } from "../support/simulate.js";
import { recorder } from "./support.js";

const retryArb = fc
  .record({ minDelay: fc.double({ min: 0.001, max: 100, noNaN: true }), span: fc.double({ min: 0, max: 1000, noNaN: true }), jitter: fc.constantFrom("full" as const, "none" as const) })
  .map(({ minDelay, span, jitter }) => ({ minDelay, maxDelay: minDelay + span, jitter }));
/** A draw in [0, 1), as the manager makes from math.rand(). */
const unitArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
/** Delays are whole milliseconds: a rounding is at most half of one off (plus float noise). */
const HALF_MS = 0.0005 + 1e-9;

describe("retryDelay (pure)", () => {
  // Not "every delay lies within [minDelay, maxDelay]": the final clamp makes that true of
  // any formula. These tie each delay to the settings and to the others, to the millisecond.
  it('jitter "none": minDelay first, then each delay doubles the one before until maxDelay, and the draw changes nothing', () => {
    fc.assert(
      fc.property(retryArb, unitArb, (r, unit) => {
        const retry = { ...r, jitter: "none" as const };
        let previous = retryDelay(retry, 1, unit);
        expect(Math.abs(previous - retry.minDelay)).toBeLessThanOrEqual(HALF_MS);
        for (let n = 2; n <= 40; n++) {
          const d = retryDelay(retry, n, unit);
          expect(retryDelay(retry, n, 0), `failure ${n}, another draw`).toBe(d);
          // Whole milliseconds: the rounded double of a rounded delay may be 1.5 ms off.
          expect(Math.abs(d - Math.min(retry.maxDelay, 2 * previous)), `failure ${n}`).toBeLessThanOrEqual(3 * HALF_MS);
          previous = d;
        }
        expect(Math.abs(previous - retry.maxDelay)).toBeLessThanOrEqual(HALF_MS); // 2^39 · 1 ms is past any maxDelay here
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('jitter "full": linear in the draw, from minDelay (draw 0) towards the next "none" step', () => {
    fc.assert(
      fc.property(retryArb, fc.integer({ min: 1, max: 60 }), unitArb, (r, n, unit) => {
        const full = { ...r, jitter: "full" as const };
        const next = retryDelay({ ...r, jitter: "none" }, n + 1, 0);
        expect(Math.abs(retryDelay(full, n, 0) - r.minDelay)).toBeLessThanOrEqual(HALF_MS);
        expect(Math.abs(retryDelay(full, n, unit) - (r.minDelay + unit * (next - r.minDelay)))).toBeLessThanOrEqual(2 * HALF_MS);
        // A larger draw never waits less.
        expect(retryDelay(full, n, unit + (1 - unit) / 2)).toBeGreaterThanOrEqual(retryDelay(full, n, unit));
      }),
      { seed: 6, numRuns: 500 },
    );
  });

  it('jitter "none" doubles from minDelay and is capped at maxDelay', () => {
    const retry = { minDelay: 2, maxDelay: 30, jitter: "none" as const };
    expect([1, 2, 3, 4, 5, 6, 50, 5000].map((n) => retryDelay(retry, n, 0.5))).toEqual([2, 4, 8, 16, 30, 30, 30, 30]);
  });

  it('jitter "full" draws between minDelay and the next step, so even the first retry is spread', () => {
    fc.assert(
      fc.property(retryArb, fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (r, n, unit) => {
        const retry = { ...r, jitter: "full" as const };
        const ceiling = Math.min(retry.maxDelay, retry.minDelay * 2 ** n);
        expect(retryDelay(retry, n, unit)).toBeLessThanOrEqual(ceiling + 0.0005);
      }),
      { seed: 7, numRuns: 300 },
    );
    const retry = { minDelay: 2, maxDelay: 30, jitter: "full" as const };
    expect([0, 0.5, 0.999].map((u) => retryDelay(retry, 1, u))).toEqual([2, 3, 3.998]);
    expect(retryDelay(retry, 40, 0.999)).toBe(29.972); // capped: [2, 30]
  });
});

/** The server refuses from 10 s on; the manager (stayConnected) retries with `retry`. */
async function outage(retry: RetrySettings | undefined, seed = 1) {
  const { rec, bind } = recorder();
  const run = await simulate({ duration: "10m", seed, events: [{ at: "10s", set: { "world.server.up": false } }] }, (root) => {
    bind(root);
    const cm = new ConnectionManager(root, retry === undefined ? { stayConnected: true } : { stayConnected: true, retry });
    cm.onTimeout(() => rec.mark("onTimeout"));
  });
  const starts = run.of("attempt").map((a) => a.t - a.ms);
  // Each failure's flow, then the wait until the manager's next attempt starts.
  const gaps = rec.times("onTimeout").flatMap((t) => {
    const next = starts.find((s) => s >= t);
    return next === undefined ? [] : [next - t];
  });
  return { run, gaps, attempts: run.of("attempt").map((a) => [a.t, a.ms]) };
}

describe("retry backoff on the simulator", () => {
  it("without retry, a failed attempt is retried at once, as in the original", async () => {
    const { gaps } = await outage(undefined);
    expect(gaps.length).toBeGreaterThan(100);
    expect(new Set(gaps)).toEqual(new Set([0]));
  });

  it('jitter "none": waits of minDelay, doubling, capped at maxDelay', async () => {
    const { gaps } = await outage({ minDelay: 2, maxDelay: 30, jitter: "none" });
    expect(gaps.slice(0, 8)).toEqual([2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    expect(gaps.every((g) => g <= 30_000)).toBe(true);
  });

  it('jitter "full": every wait within [minDelay, maxDelay] and under its exponential ceiling; spread, not constant', async () => {
    const { gaps } = await outage({ minDelay: 2, maxDelay: 30, jitter: "full" });
    expect(gaps.length).toBeGreaterThan(15);
    gaps.forEach((g, i) => {
      expect(g).toBeGreaterThanOrEqual(2000);
      expect(g).toBeLessThanOrEqual(Math.min(30_000, 2000 * 2 ** (i + 1)));
    });
    expect(new Set(gaps.slice(5)).size).toBeGreaterThan(5);
  });

  it("deterministic per seed: the same seed gives the same attempts, another seed other ones", async () => {
    const retry: RetrySettings = { minDelay: 1, maxDelay: 60, jitter: "full" };
    const a = await outage(retry, 7);
    const b = await outage(retry, 7);
    const c = await outage(retry, 8);
    expect(a.attempts).toEqual(b.attempts);
    expect(a.gaps).toEqual(b.gaps);
    expect(c.gaps).not.toEqual(a.gaps);
  });

  it("a connection resets the backoff: after the outage the first retry waits minDelay again", async () => {
    const { rec, bind } = recorder();
    const run = await simulate(
      {
        duration: "5m",
        events: [
          { at: "10s", set: { "world.server.up": false } },
          { at: "2m", set: { "world.server.up": true } },
          { at: "3m", set: { "world.server.up": false } },
        ],
      },
      (root) => {
        bind(root);
        const cm = new ConnectionManager(root, { stayConnected: true, retry: { minDelay: 2, maxDelay: 20, jitter: "none" } });
        cm.onTimeout(() => rec.mark("onTimeout"));
      },
    );
    const starts = run.of("attempt").map((a) => a.t - a.ms);
    const second = rec.times("onTimeout").filter((t) => t > 180_000);
    const gaps = second.map((t) => starts.find((s) => s >= t)! - t);
    expect(gaps.slice(0, 3)).toEqual([2000, 4000, 8000]);
  });

  it("disconnect() during a backoff wait cancels the pending retry", async () => {
    /** The server is down 10-20 s; the first failure waits 60 s, and `cancel` disconnects 1 s into that wait. */
    const outageThenWait = async (cancel: boolean) => {
      const { rec, bind } = recorder();
      const run = await simulate({ duration: "5m", events: [{ at: "10s", set: { "world.server.up": false } }, { at: "20s", set: { "world.server.up": true } }] }, (root) => {
        bind(root);
        const cm = new ConnectionManager(root, { retry: { minDelay: 60, maxDelay: 60, jitter: "none" } });
        cm.onTimeout(() => {
          rec.mark("onTimeout");
          if (cancel)
            root.imp.wakeup(1, () => {
              rec.mark("disconnect");
              cm.disconnect();
            });
        });
        cm.onDisconnect((expected) => {
          if (!expected) cm.connect();
        });
      });
      const [failedAt, ...more] = rec.times("onTimeout");
      expect(failedAt, "one failed attempt, during the outage").toBeGreaterThan(10_000);
      expect(more).toEqual([]);
      // Attempts the manager started once that failure had been handled.
      const later = run.of("attempt").filter((a) => a.t - a.ms >= failedAt!);
      return { rec, run, failedAt: failedAt!, later };
    };

    // Without disconnect() the retry comes 60 s after the failure, and connects (the server is back).
    const waited = await outageThenWait(false);
    expect(waited.later.map((a) => [a.t - a.ms - waited.failedAt, a.reasonName])).toEqual([[60_000, "SERVER_CONNECTED"]]);
    expect(waited.run.of("connected")).toHaveLength(2);

    // With it, 1 s into the wait, nothing retries for the rest of the run (4 more minutes).
    const cancelled = await outageThenWait(true);
    expect(cancelled.rec.times("disconnect")).toEqual([cancelled.failedAt + 1000]);
    expect(cancelled.later).toEqual([]);
    expect(cancelled.run.of("connected")).toHaveLength(1);
  });
});
