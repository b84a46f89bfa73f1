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
 * layer's `start`) is on the same clock. The receiver moves them onto its own
 * clock by the difference at receipt: two processes' clocks share no origin,
 * and the error is one trip's latency.
 */
export const REPORTED_TYPES = ["boot", "attempt", "connected", "disconnected", "suspend", "resume", "sleep"] as const;
export type ReportedType = (typeof REPORTED_TYPES)[number];
export type ReportedLine = Extract<TimelineEvent, { type: ReportedType }>;

/** Lines a device keeps while it cannot send them: beyond this the oldest go, and the report says how many. */
export const REPORT_LINES = 100;

const REPORTED = new Set<string>(REPORTED_TYPES);

export function isReported(e: TimelineEvent): e is ReportedLine {
  return REPORTED.has(e.type);
}

export function encodeReport(now: number, lines: readonly ReportedLine[], dropped: number): string {
  // The device id is the topic's: it is not repeated per line.
  return JSON.stringify({ now, dropped, lines: lines.map(({ device: _, ...rest }) => rest) });
}

const time = z.number().finite();
const text = z.string().max(4096);
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
    layers: z.array(z.object({ layer: z.string().max(64), start: time, ms: z.number().finite(), ok: z.boolean() })).max(32),
  }),
  z.object({ type: z.literal("connected"), t: time, interface: z.enum(["wl0", "eth0", "cell0"]) }),
  z.object({ type: z.literal("disconnected"), t: time, expected: z.boolean(), reason: reason.reason.optional(), reasonName: reason.reasonName.optional(), detail: text.optional() }),
  z.object({ type: z.literal("suspend"), t: time }),
  z.object({ type: z.literal("resume"), t: time }),
  z.object({ type: z.literal("sleep"), t: time, seconds: z.number().finite().nonnegative() }),
]);
const report = z.object({ now: time, dropped: z.number().int().nonnegative(), lines: z.array(line).max(REPORT_LINES) });

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
