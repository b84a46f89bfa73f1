import type { TimelineEvent, TimelineSink, TimelineType } from "./events.js";
import { formatHuman } from "./human.js";
import type { HumanOptions } from "./human.js";
import { toJsonLine } from "./json.js";

/** Keeps every event, for tests and small runs. */
export class ArraySink implements TimelineSink {
  readonly #events: TimelineEvent[] = [];

  get events(): readonly TimelineEvent[] {
    return this.#events;
  }

  write(event: TimelineEvent): void {
    this.#events.push(event);
  }
}

/**
 * Counts lines per type and in total and keeps nothing else, so that a fleet of
 * 100,000 devices costs a dozen numbers. Every type has its slot from the start:
 * the object keeps one shape and `write` allocates nothing.
 */
export class CountingSink implements TimelineSink {
  readonly reads = "type";
  #total = 0;
  readonly #counts: Record<TimelineType, number> = {
    boot: 0,
    attempt: 0,
    connected: 0,
    disconnected: 0,
    callback: 0,
    log: 0,
    message: 0,
    suspend: 0,
    resume: 0,
    sleep: 0,
    warning: 0,
    error: 0,
    world: 0,
    online: 0,
    offline: 0,
    refused: 0,
  };

  /** Lines so far, all types. */
  get total(): number {
    return this.#total;
  }

  /** Lines so far per type; a live view, not a copy. */
  get counts(): Readonly<Record<TimelineType, number>> {
    return this.#counts;
  }

  write(event: TimelineEvent): void {
    this.#total++;
    this.#counts[event.type]++;
  }
}

/** Anything with `write(string)`: process.stdout, a file stream, a test double. */
export type TextStream = NodeJS.WritableStream | { write(s: string): unknown };

export type StreamFormat = "json" | "human";

/**
 * Writes one line per event. A sink must not throw into the simulation, so a
 * failing stream (a closed pipe, a full disk) stops the output instead: the
 * first failure is kept in `error` for the caller to report, later events are dropped.
 * Backpressure is not honoured: the simulation cannot wait for a stream.
 */
export class StreamSink implements TimelineSink {
  error: unknown = undefined;
  /** Whoever read the stream has gone (EPIPE: `impnet sim --json | head -1`): not an error, the end of the audience. */
  readerGone = false;
  readonly #stream: TextStream;
  readonly #format: (e: TimelineEvent) => string;
  readonly #whenGone: (() => void)[] = [];

  constructor(stream: TextStream, format: StreamFormat, options: HumanOptions = { color: false }) {
    this.#stream = stream;
    this.#format = format === "json" ? toJsonLine : (e) => formatHuman(e, options);
    // Streams report most failures as 'error' events; unheard, those would crash the process.
    if ("on" in stream && typeof stream.on === "function") stream.on("error", (err: unknown) => this.#fail(err));
  }

  write(event: TimelineEvent): void {
    if (this.error !== undefined || this.readerGone) return;
    try {
      this.#stream.write(`${this.#format(event)}\n`);
    } catch (err) {
      this.#fail(err);
    }
  }

  /** Calls back once the reader is gone (at once if it already is). */
  onReaderGone(callback: () => void): void {
    if (this.readerGone) callback();
    else this.#whenGone.push(callback);
  }

  #fail(err: unknown): void {
    if ((err as NodeJS.ErrnoException | undefined)?.code === "EPIPE") {
      if (this.readerGone) return;
      this.readerGone = true;
      for (const callback of this.#whenGone.splice(0)) callback();
      return;
    }
    this.error ??= err ?? new Error("timeline stream failed");
  }
}

/** Sends each event to every sink, in order. */
export class TeeSink implements TimelineSink {
  readonly #sinks: readonly TimelineSink[];
  /** Only types when every sink reads only types. */
  readonly reads: "all" | "type";

  constructor(...sinks: TimelineSink[]) {
    this.#sinks = sinks;
    this.reads = sinks.length > 0 && sinks.every((sink) => sink.reads === "type") ? "type" : "all";
  }

  write(event: TimelineEvent): void {
    for (const sink of this.#sinks) sink.write(event);
  }
}
