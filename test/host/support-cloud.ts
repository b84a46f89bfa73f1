import { RealClock } from "../../src/clock/real-clock.js";
import { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import type { EmbeddedCloudOptions } from "../../src/cloud/embedded-cloud.js";
import { ElapsedClock } from "../../src/network/host/elapsed-clock.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import type { TimelineSink } from "../../src/timeline/events.js";
import { tempDir } from "./real-parts.js";

/** The embedded cloud on a free loopback port, its data in a fresh temp dir. */
export function startCloud(extra: Partial<EmbeddedCloudOptions> = {}, sink: TimelineSink = new ArraySink()): Promise<EmbeddedCloud> {
  return EmbeddedCloud.start({ dataDir: tempDir(), port: 0, clock: new ElapsedClock(new RealClock()), wall: new RealClock(), sink, ...extra });
}
