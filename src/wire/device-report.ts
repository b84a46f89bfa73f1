import { z } from "zod";
import type { TimelineEvent } from "../timeline/events.js";

/**
 * A device's own account of its connection, sent on its `diag` topic: the
 * timeline lines only the device can see (its attempts, failed ones above
 * all, and when it was connected, suspended or asleep). The cloud never sees
 * an attempt that failed before reaching it; after the next connect it is
 * told, and its dashboard can draw the device's strip.
 *
 * Times: `now` is the device's clock when it sent; a line's `t` (and each
 * layer's `start`) is on the same clock, never later. The receiver moves them
 * onto its own clock by the difference at receipt: two processes' clocks
 * share no origin, and the error is the report's time on the way (the
 * socket, the broker).
 */
const REPORTED_TYPES = ["boot", "attempt", "connected", "disconnected", "suspend", "resume", "sleep"] as const;
export type ReportedLine = Extract<TimelineEvent, { type: (typeof REPORTED_TYPES)[number] }>;

/** Lines a device keeps while it cannot send them: beyond this the oldest go, and the report says how many. */
export const REPORT_LINES = 100;
/** Lines in one report: a few KB, so that a report never fills the socket the program's sends are measured against. */
export const REPORT_CHUNK_LINES = 10;
/** What a line may carry: a longer detail is cut, further layers are left out (a line that broke the limits would cost the whole report). */
export const MAX_DETAIL_CHARS = 1024;
export const MAX_LAYERS = 32;
/** How far back a report may reach: a device that slept a month says so, not more. */
export const REPORT_HORIZON_MS = 31 * 24 * 3600 * 1000;

const REPORTED = new Set<string>(REPORTED_TYPES);

export function isReported(e: TimelineEvent): e is ReportedLine {
  return REPORTED.has(e.type);
}

export function encodeReport(now: number, lines: readonly ReportedLine[], dropped: number): string {
  // The device id is the topic's: it is not repeated per line.
  return JSON.stringify({ now, dropped, lines: lines.map(clip) });
}

/** A line as it travels: without the device id, within the limits. */
function clip({ device: _, ...line }: ReportedLine): object {
  if ((line.type !== "attempt" && line.type !== "disconnected") || line.detail === undefined) return line;
  const detail = line.detail.length > MAX_DETAIL_CHARS ? `${line.detail.slice(0, MAX_DETAIL_CHARS - 1)}…` : line.detail;
  return line.type === "attempt" ? { ...line, detail, layers: line.layers.slice(0, MAX_LAYERS) } : { ...line, detail };
}

/** A device's ms since its run began: a century at most, so no shift overflows. */
const time = z.number().finite().min(0).max(3.2e12);
const text = z.string().max(MAX_DETAIL_CHARS);
const reason = { reason: z.number().int(), reasonName: z.string().max(64) };
const line = z.discriminatedUnion("type", [
  z.object({ type: z.literal("boot"), t: time, cause: z.enum(["cold", "wake", "error"]) }),
  z.object({
    type: z.literal("attempt"),
    t: time,
    interface: z.enum(["wl0", "eth0", "cell0"]),
    interfaceType: z.enum(["wifi", "ethernet", "cell"]),
    ...reason,
    ms: z.number().finite().nonnegative(),
    layer: z.string().max(64).optional(),
    detail: text.optional(),
    layers: z.array(z.object({ layer: z.string().max(64), start: time, ms: z.number().finite(), ok: z.boolean() })).max(MAX_LAYERS),
  }),
  z.object({ type: z.literal("connected"), t: time, interface: z.enum(["wl0", "eth0", "cell0"]) }),
  z.object({ type: z.literal("disconnected"), t: time, expected: z.boolean(), reason: reason.reason.optional(), reasonName: reason.reasonName.optional(), detail: text.optional() }),
  z.object({ type: z.literal("suspend"), t: time }),
  z.object({ type: z.literal("resume"), t: time }),
  z.object({ type: z.literal("sleep"), t: time, seconds: z.number().finite().nonnegative() }),
]);
const report = z
  .object({ now: time, dropped: z.number().int().nonnegative().max(1e9), lines: z.array(line).max(REPORT_LINES) })
  .refine((r) => r.lines.every((l) => l.t <= r.now && l.t >= r.now - REPORT_HORIZON_MS), { message: `a line later than the report, or more than ${REPORT_HORIZON_MS / 86_400_000} days before it`, path: ["lines"] });

export type DecodedReport = { lines: ReportedLine[]; dropped: number } | { refused: string };

/**
 * A report as the cloud reads it: lines on the receiver's clock (`receivedAt`
 * is its now), under the topic's device id; or why it cannot be read.
 */
export function decodeReport(payload: Buffer, device: string, receivedAt: number): DecodedReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString("utf8"));
  } catch {
    return { refused: "not JSON" };
  }
  const r = report.safeParse(parsed);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return { refused: `${issue.path.join(".") || "the report"}: ${issue.message}` };
  }
  const shift = receivedAt - r.data.now;
  const lines = r.data.lines.map((l) => {
    const moved: ReportedLine = { ...l, device, t: l.t + shift };
    if (moved.type === "attempt") moved.layers = moved.layers.map((x) => ({ ...x, start: x.start + shift }));
    return moved;
  });
  return { lines, dropped: r.data.dropped };
}
