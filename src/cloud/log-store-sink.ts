import { closeSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import type { TimelineEvent, TimelineSink } from "../timeline/events.js";
import type { Clock } from "../clock/clock.js";

export interface LogLimits {
  /** Bytes of log text one device may store per second, on average… */
  bytesPerSecond: number;
  /** …and in one burst. */
  burstBytes: number;
  /** The file is rotated when it would grow past this: `server-log.jsonl.1`, `.2`, … */
  fileBytes: number;
  /** How many rotated files are kept. */
  keepFiles: number;
}

/**
 * A device sending `server.log` as fast as it can (~40 MB/s on loopback) must
 * not fill the disk or drown the others: 64 KiB/s each on average, 1 MiB at
 * once, and files of 64 MiB, four kept.
 */
export const DEFAULT_LOG_LIMITS: LogLimits = { bytesPerSecond: 64 * 1024, burstBytes: 1024 * 1024, fileBytes: 64 * 1024 * 1024, keepFiles: 4 };

/** One device's budget: a token bucket of bytes, and what it dropped since it last said so. */
interface Budget {
  tokens: number;
  at: number;
  dropped: number;
}

/**
 * Keeps every `server.log` line (device and agent) as one JSON line in a file
 * and passes every event on, so the cloud both stores and streams its logs.
 * Each device's lines are rate-limited (what is over its budget is dropped,
 * and a warning says how many once the budget allows again), and the file is
 * rotated by size.
 */
export class LogStoreSink implements TimelineSink {
  private fd: number | null = null;
  private size: number;
  /** Lines written in this turn, flushed together once it ends (a sync write each would be a syscall a line). */
  private pending: string[] = [];
  private readonly budgets = new Map<string, Budget>();
  /** The timeline time of the latest event, for the sink's own warnings. */
  private lastT = 0;
  /** Why the file can no longer be written, once it cannot (said once, as a warning); logs still stream. */
  error: unknown = undefined;

  constructor(
    readonly path: string,
    private readonly next: TimelineSink,
    /** Wall time (epoch ms) for the stored lines: a log outlives the run's elapsed clock. */
    private readonly wall: Clock,
    private readonly limits: LogLimits = DEFAULT_LOG_LIMITS,
  ) {
    this.size = sizeOf(path);
    this.fd = this.open();
  }

  write(event: TimelineEvent): void {
    this.lastT = event.t;
    if (event.type === "log") {
      const bytes = Buffer.byteLength(event.text);
      if (!this.allow(event.device, bytes, event.t)) return;
      if (this.error === undefined) {
        const line: Record<string, unknown> = { at: new Date(this.wall.now()).toISOString(), device: event.device, text: event.text, error: event.error };
        if (event.agent === true) line.agent = true;
        this.store(`${JSON.stringify(line)}\n`);
      }
    }
    this.next.write(event);
  }

  close(): Promise<void> {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    return Promise.resolve();
  }

  /** Takes `bytes` from the device's bucket; says when it starts dropping lines, and how many when it stops. */
  private allow(device: string, bytes: number, t: number): boolean {
    const now = this.wall.now();
    const { bytesPerSecond, burstBytes } = this.limits;
    let b = this.budgets.get(device);
    if (b === undefined) {
      b = { tokens: burstBytes, at: now, dropped: 0 };
      this.budgets.set(device, b);
    }
    b.tokens = Math.min(burstBytes, b.tokens + ((now - b.at) / 1000) * bytesPerSecond);
    b.at = now;
    const limit = `the cloud's log rate limit (${bytesPerSecond} bytes/s, bursts of ${burstBytes})`;
    if (b.tokens < bytes) {
      if (b.dropped++ === 0) this.next.write({ t, device, type: "warning", text: `server.log lines dropped from here: over ${limit}` });
      return false;
    }
    b.tokens -= bytes;
    if (b.dropped > 0) {
      this.next.write({ t, device, type: "warning", text: `${b.dropped} server.log line(s) were dropped: over ${limit}` });
      b.dropped = 0;
    }
    return true;
  }

  private store(line: string): void {
    if (this.pending.length === 0) queueMicrotask(() => this.flush());
    this.pending.push(line);
  }

  private flush(): void {
    const lines = this.pending;
    this.pending = [];
    for (const line of lines) {
      if (this.fd === null || this.error !== undefined) return;
      const bytes = Buffer.byteLength(line);
      if (this.size > 0 && this.size + bytes > this.limits.fileBytes) this.rotate();
      try {
        if (this.fd !== null) writeSync(this.fd, line);
        this.size += bytes;
      } catch (e) {
        this.fail(e);
      }
    }
  }

  /** server-log.jsonl → .1 → .2 …; the oldest beyond keepFiles is overwritten. */
  private rotate(): void {
    try {
      closeSync(this.fd!);
      this.fd = null;
      for (let i = this.limits.keepFiles - 1; i >= 1; i--) renameIfThere(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      renameSync(this.path, `${this.path}.1`);
    } catch (e) {
      this.fail(e);
    }
    this.size = 0;
    this.fd = this.open();
  }

  private fail(e: unknown): void {
    if (this.error !== undefined) return;
    this.error = e;
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    this.next.write({ t: this.lastT, device: "cloud", type: "warning", text: `${this.path}: cannot write (${code}): the stored log stops here` });
  }

  private open(): number | null {
    try {
      return openSync(this.path, "a", 0o600);
    } catch (e) {
      this.fail(e);
      return null;
    }
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function renameIfThere(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}
