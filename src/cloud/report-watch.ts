import type { Aedes } from "aedes";
import type { Clock } from "../clock/clock.js";
import type { TimelineSink } from "../timeline/events.js";
import { decodeReport } from "../wire/device-report.js";
import type { ReportedLine } from "../wire/device-report.js";
import { isServiceClientId, parseTopic } from "../wire/topics.js";

/** A device's report as the cloud took it: its lines on the cloud's clock, and how many it had to drop before it could send. */
export type ReportListener = (device: string, lines: ReportedLine[], dropped: number) => void;

/**
 * Hands each device's reports (its `diag` topic) to `listener`, read on the
 * cloud's clock. The broker's ACL has already made sure a device publishes
 * only under its own id; a report that cannot be read is said on the sink
 * and dropped.
 */
export function watchReports(broker: Aedes, clock: Clock, sink: TimelineSink, listener: ReportListener): void {
  broker.on("publish", (packet, client) => {
    if (client === null || isServiceClientId(client.id)) return;
    const t = parseTopic(packet.topic);
    if (t === null || t.channel !== "diag" || t.deviceId !== client.id) return;
    const now = clock.now();
    const r = decodeReport(Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload), t.deviceId, now);
    if ("refused" in r) sink.write({ t: now, device: t.deviceId, type: "warning", text: `a report from the device that impnet cannot read (${r.refused}): dropped` });
    else listener(t.deviceId, r.lines, r.dropped);
  });
}
