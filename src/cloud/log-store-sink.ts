import { createWriteStream } from "node:fs";
import type { WriteStream } from "node:fs";
import type { TimelineEvent, TimelineSink } from "../timeline/events.js";
import type { Clock } from "../clock/clock.js";

/**
 * Keeps every `server.log` line (device and agent) as one JSON line in a file
 * and passes every event on, so the cloud both stores and streams its logs.
 */
export class LogStoreSink implements TimelineSink {
  private readonly file: WriteStream;
  error: unknown = undefined;

  constructor(
    readonly path: string,
    private readonly next: TimelineSink,
    /** Wall time (epoch ms) for the stored lines: a log outlives the run's elapsed clock. */
    private readonly wall: Clock,
  ) {
    this.file = createWriteStream(path, { flags: "a", mode: 0o600 });
    this.file.on("error", (e) => (this.error ??= e));
  }

  write(event: TimelineEvent): void {
    if (event.type === "log" && this.error === undefined) {
      const line: Record<string, unknown> = { at: new Date(this.wall.now()).toISOString(), device: event.device, text: event.text, error: event.error };
      if (event.agent === true) line.agent = true;
      this.file.write(`${JSON.stringify(line)}\n`);
    }
    this.next.write(event);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.file.end(() => resolve()));
  }
}
