import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FleetSink } from "../../src/fleet/fleet-sink.js";
import type { TimelineEvent } from "../../src/timeline/events.js";

const ids = ["a", "b", "c", "d"];
const DURATION = 20_000;

/** A timeline in time order: devices connecting and losing the server, attempts that did or did not reach it. */
const timeline = fc
  .array(
    fc.record({
      t: fc.integer({ min: 0, max: DURATION }),
      device: fc.constantFrom(...ids),
      kind: fc.constantFrom("connected", "disconnected", "sleep", "attempt-tcp", "attempt-link", "attempt-ok", "error"),
      tcpAt: fc.integer({ min: 0, max: DURATION }),
    }),
    { maxLength: 60 },
  )
  .map((lines) => lines.sort((x, y) => x.t - y.t));

function event(l: { t: number; device: string; kind: string; tcpAt: number }): TimelineEvent {
  const base = { t: l.t, device: l.device };
  switch (l.kind) {
    case "connected":
      return { ...base, type: "connected", interface: "wl0" };
    case "disconnected":
      return { ...base, type: "disconnected", expected: false };
    case "sleep":
      return { ...base, type: "sleep", seconds: 60 };
    case "error":
      return { ...base, type: "error", text: "x", stack: "x" };
    case "attempt-ok":
      return { ...base, type: "attempt", interface: "wl0", interfaceType: "wifi", reason: 5, reasonName: "SERVER_CONNECTED", ms: 1, layers: [{ layer: "tcp", start: Math.min(l.tcpAt, l.t), ms: 1, ok: true }] };
    default: {
      const tcp = l.kind === "attempt-tcp" ? [{ layer: "tcp", start: Math.min(l.tcpAt, l.t), ms: 1, ok: false }] : [];
      const failed = l.kind === "attempt-tcp" ? { reason: 4, reasonName: "NO_SERVER", layer: "tcp" } : { reason: 0, reasonName: "NO_LINK", layer: "link" };
      return { ...base, type: "attempt", interface: "wl0", interfaceType: "wifi", ...failed, ms: 1, layers: [{ layer: "link", start: 0, ms: 0, ok: l.kind === "attempt-tcp" }, ...tcp] };
    }
  }
}

describe("FleetSink counts what a naive recount of the whole timeline says", () => {
  it("connected at the end of every second, arrivals per second, attempts, errors, failures after the last event by reason, and the moments 50/99/100 % were back", () => {
    fc.assert(
      fc.property(timeline, fc.integer({ min: 0, max: DURATION }), (lines, from) => {
        const sink = new FleetSink(ids, DURATION, from);
        const events = lines.map(event);
        for (const e of events) sink.write(e);
        const f = sink.figures();

        const online = (until: number) => {
          const state = new Map<string, boolean>();
          for (const e of events) {
            if (e.t >= until) break;
            if (e.type === "connected") state.set(e.device, true);
            if (e.type === "disconnected" || e.type === "sleep") state.set(e.device, false);
          }
          return [...state.values()].filter(Boolean).length;
        };
        for (let s = 0; s <= DURATION / 1000; s++) expect(f.connected[s], `second ${s}`).toBe(online((s + 1) * 1000));
        const arrivals = new Array<number>(DURATION / 1000 + 1).fill(0);
        for (const e of events) if (e.type === "attempt") for (const l of e.layers) if (l.layer === "tcp") arrivals[Math.floor(l.start / 1000)]!++;
        expect([...f.arrivals]).toEqual(arrivals);
        expect(f.attempts).toBe(events.filter((e) => e.type === "attempt").length);
        expect(f.errors).toBe(events.filter((e) => e.type === "error").length);
        const failed: Record<string, number> = {};
        for (const e of events) if (e.type === "attempt" && e.t >= from && e.reason !== 5) failed[`${e.reasonName} at ${e.layer!}`] = (failed[`${e.reasonName} at ${e.layer!}`] ?? 0) + 1;
        expect(f.failedAfter).toEqual(failed);
        expect(f.connectedAtEnd).toBe(online(Infinity));

        // The first moment at or after `from` with at least the share connected, after the lines of that moment so far.
        const firstBack = (target: number): number | null => {
          const state = new Map<string, boolean>();
          const count = () => [...state.values()].filter(Boolean).length;
          let armed = false;
          for (const e of events) {
            if (!armed && e.t >= from) {
              armed = true;
              if (count() >= target) return 0;
            }
            if (e.type === "connected") state.set(e.device, true);
            if (e.type === "disconnected" || e.type === "sleep") state.set(e.device, false);
            if (armed && e.type === "connected" && count() >= target) return e.t - from;
          }
          return !armed && count() >= target ? 0 : null;
        };
        expect(f.back).toEqual({ p50: firstBack(2), p99: firstBack(4), p100: firstBack(4) });
      }),
    );
  });
});
