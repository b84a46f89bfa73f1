import type { LayerRecord, TimelineEvent, TimelineType } from "./events.js";

/**
 * The `--json` timeline: one object per line. Other tools parse these lines and
 * compare runs byte for byte, so the key order is fixed here rather than left to
 * whichever order the producer happened to build the event in.
 */

type OwnFields<K extends TimelineType> = Exclude<keyof Extract<TimelineEvent, { type: K }>, "t" | "device" | "type">;

/** Each type's own fields, in the order scenario.md's table lists them. */
const FIELDS = {
  boot: ["cause"],
  attempt: ["interface", "interfaceType", "reason", "reasonName", "ms", "layer", "detail", "layers"],
  connected: ["interface"],
  disconnected: ["expected", "reason", "reasonName", "detail"],
  callback: ["api", "reason", "reasonName"],
  log: ["text", "error", "agent"],
  message: ["from", "name", "data"],
  suspend: [],
  resume: [],
  sleep: ["seconds"],
  warning: ["text"],
  error: ["text", "stack"],
  world: ["set"],
  online: ["kind", "from"],
  offline: ["kind", "why"],
  refused: ["from", "why"],
} as const satisfies { [K in TimelineType]: readonly OwnFields<K>[] };

// A field added to TimelineEvent but not to FIELDS would vanish from every
// timeline silently; this fails the type check instead.
type Unlisted = { [K in TimelineType]: Exclude<OwnFields<K>, (typeof FIELDS)[K][number]> }[TimelineType];
type AssertNone<T extends never> = T;
type _EveryFieldListed = AssertNone<Unlisted>;

/** One timeline line, without the newline. Same event → same bytes. */
export function toJsonLine(e: TimelineEvent): string {
  let out = `{"t":${number(e.t)},"device":${JSON.stringify(e.device)},"type":${JSON.stringify(e.type)}`;
  const fields: readonly string[] = FIELDS[e.type];
  const record = e as unknown as Readonly<Record<string, unknown>>;
  for (const field of fields) {
    const raw = record[field];
    const value = field === "layers" && e.type === "attempt" ? layers(e.layers) : jsonValue(raw);
    // Absent optional fields (attempt.layer, disconnected.reason) are left out, as JSON.stringify would.
    if (value !== undefined) out += `,${JSON.stringify(field)}:${value}`;
  }
  return `${out}}`;
}

/** Layer records are built all over the network code; pin their key order here. */
function layers(list: readonly LayerRecord[]): string {
  let out = "[";
  for (let i = 0; i < list.length; i++) {
    const l = list[i] as LayerRecord;
    out += `${i === 0 ? "" : ","}{"layer":${JSON.stringify(l.layer)},"start":${number(l.start)},"ms":${number(l.ms)},"ok":${l.ok ? "true" : "false"}}`;
  }
  return `${out}]`;
}

/**
 * JSON for an arbitrary value (message data, world changes), or undefined where
 * JSON.stringify would omit it. Unlike JSON.stringify it never throws, and it
 * keeps binary data readable and exact:
 * - Uint8Array (Buffer included), ArrayBuffer and DataView → {"$binary": "<base64>"}
 * - other typed arrays → an array of their elements (their bytes depend on the
 *   host's endianness, their elements do not)
 * - bigint → {"$bigint": "<decimal>"}; NaN and ±Infinity → null
 * - a reference back to an enclosing object → "[Circular]"
 * Object keys keep their insertion order: the producer's order is meaningful
 * (a world `set` lists changes as the scenario wrote them).
 */
export function jsonValue(v: unknown): string | undefined {
  return value(v, []);
}

function value(v: unknown, ancestors: object[]): string | undefined {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return number(v);
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return `{"$bigint":"${v.toString()}"}`;
    case "object":
      return v === null ? "null" : object(v, ancestors);
    default:
      return undefined; // undefined, functions, symbols
  }
}

function object(v: object, ancestors: object[]): string {
  if (v instanceof Uint8Array || v instanceof DataView) return binary(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
  if (v instanceof ArrayBuffer) return binary(Buffer.from(v));
  if (ArrayBuffer.isView(v)) return object(Array.from(v as unknown as ArrayLike<unknown>), ancestors);
  if (ancestors.includes(v)) return '"[Circular]"';

  ancestors.push(v);
  try {
    if (Array.isArray(v)) {
      let out = "[";
      for (let i = 0; i < v.length; i++) out += `${i === 0 ? "" : ","}${value(v[i], ancestors) ?? "null"}`;
      return `${out}]`;
    }
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return value(safe(() => toJSON.call(v, "") as unknown), ancestors) ?? "null";
    let out = "{";
    let first = true;
    for (const key of Object.keys(v)) {
      const item = value(safe(() => (v as Record<string, unknown>)[key]), ancestors);
      if (item === undefined) continue;
      out += `${first ? "" : ","}${JSON.stringify(key)}:${item}`;
      first = false;
    }
    return `${out}}`;
  } finally {
    ancestors.pop();
  }
}

/** A throwing getter or toJSON in program data must not take the timeline down. */
function safe(read: () => unknown): unknown {
  try {
    return read();
  } catch (err) {
    return `[Thrown: ${err instanceof Error ? err.message : String(err)}]`;
  }
}

function binary(bytes: Buffer): string {
  return `{"$binary":"${bytes.toString("base64")}"}`;
}

function number(n: number): string {
  return Number.isFinite(n) ? JSON.stringify(n) : "null";
}
