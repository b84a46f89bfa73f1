import type { Aedes } from "aedes";
import type { Clock } from "../clock/clock.js";
import type { TimelineSink } from "../timeline/events.js";
import { decodeReport } from "../wire/device-report.js";
import type { ReportedLine } from "../wire/device-report.js";
import { isServiceClientId, parseTopic } from "../wire/topics.js";

/** A device's report as the cloud took it: its lines on the cloud's clock, and how many it let go before it could send. */
export type ReportListener = (device: string, lines: ReportedLine[], dropped: number) => void;

/**
 * Reports a device may send at once, and one more each REPORT_REFILL_MS: a
 * device sends a few after each connect (its kept lines, ten a report) and
 * one now and then while connected. Beyond that it is flooding, and what it
 * sends is dropped, with one warning, until it slows down.
 */
export const REPORT_BURST = 20;
export const REPORT_REFILL_MS = 1000;

/**
 * Hands each device's reports (its `diag` topic) to `listener`, read on the
 * cloud's clock. The broker's ACL has already made sure a device publishes
 * only under its own id; a report that cannot be read is said on the sink
 * and dropped.
 */
export function watchReports(broker: Aedes, clock: Clock, sink: TimelineSink, listener: ReportListener): void {
  const budgets = new Map<string, { tokens: number; at: number; dropping: boolean }>();
  const warn = (device: string, text: string) => sink.write({ t: clock.now(), device, type: "warning", text });
  broker.on("publish", (packet, client) => {
    // Every publish the broker takes passes here: the cheap test first.
    if (client === null || !packet.topic.endsWith("/diag") || isServiceClientId(client.id)) return;
    const t = parseTopic(packet.topic);
    if (t === null || t.channel !== "diag" || t.deviceId !== client.id) return;
    const now = clock.now();
    let budget = budgets.get(t.deviceId);
    if (budget === undefined) budgets.set(t.deviceId, (budget = { tokens: REPORT_BURST, at: now, dropping: false }));
    budget.tokens = Math.min(REPORT_BURST, budget.tokens + (now - budget.at) / REPORT_REFILL_MS);
    budget.at = now;
    if (budget.tokens < 1) {
      if (!budget.dropping) warn(t.deviceId, `reports from the device come faster than one a second: dropped until it slows down`);
      budget.dropping = true;
      return;
    }
    budget.tokens--;
    budget.dropping = false;
    const r = decodeReport(Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload), t.deviceId, now);
    if ("refused" in r) warn(t.deviceId, `a report from the device that impnet cannot read (${r.refused}): dropped`);
    else listener(t.deviceId, r.lines, r.dropped);
  });
}
