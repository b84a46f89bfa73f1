import { toText } from "../squirrel/bytes.js";
import { InvalidArgumentError, MessageTooLargeError } from "../errors.js";
import { MAX_MESSAGE_BYTES } from "../constants.js";

/**
 * A message from a Squirrel program (squirrel.md S1): its JSON projection, for
 * JavaScript ends and the timeline (R33), and its exact Squirrel form, which a
 * Squirrel end receives as sent (integers apart from floats, byte strings,
 * blobs, table keys of any type). Immutable: it travels without copying.
 */
export class TypedMessage {
  private projected: unknown = undefined;
  /**
   * `typed`: the exact form (programs/squirrel/typed-wire.ts): integers as
   * numbers, strings of bytes, arrays; {"f": v} a float, {"t": [k, v, …]} a
   * table, {"b": base64} a blob. Only this form travels; the projection is
   * derived from it where it is needed.
   */
  constructor(readonly typed: unknown) {}

  get json(): unknown {
    return (this.projected ??= projectTyped(this.typed));
  }
}

/** R33's JSON view of a Squirrel message's exact form: what a JavaScript end and the timeline see. */
export function projectTyped(w: unknown): unknown {
  if (typeof w === "string") return toText(w);
  if (w === null || typeof w !== "object") return w;
  if (Array.isArray(w)) return w.map(projectTyped);
  const o = w as { f?: unknown; t?: unknown[]; b?: unknown };
  if (o.f !== undefined) return Number(o.f);
  if (typeof o.b === "string") return new Uint8Array(Buffer.from(o.b, "base64"));
  const out: Record<string, unknown> = {};
  const kv = Array.isArray(o.t) ? o.t : [];
  for (let i = 0; i + 1 < kv.length; i += 2) {
    const k = kv[i];
    const key = typeof k === "string" ? toText(k) : typeof k === "object" && k !== null && "f" in k ? String(Number((k).f)) : String(k);
    // defineProperty: a key named "__proto__" is data like any other.
    Object.defineProperty(out, key, { value: projectTyped(kv[i + 1]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A handler that takes a TypedMessage as it is (a Squirrel program's); any other gets the projection. */
export const TAKES_TYPED = Symbol("impnet.takesTypedMessages");

/** The data as JavaScript and the timeline see it. */
export function projection(data: unknown): unknown {
  return data instanceof TypedMessage ? data.json : data;
}

/** Calls a message handler with the form it takes. */
export function deliverTo(handler: (data: unknown) => unknown, data: unknown): unknown {
  return handler((handler as { [TAKES_TYPED]?: boolean })[TAKES_TYPED] === true ? data : projection(data));
}

/** A copy the sender can no longer change (a TypedMessage is already one). */
export function messageCopy(data: unknown): unknown {
  return data instanceof TypedMessage ? data : structuredClone(data);
}

/**
 * Size in bytes of a message as it would travel, checking that JSON (plus
 * Uint8Array) can carry it (R33). Throws before anything is sent.
 */
export function messageBytes(api: string, data: unknown): number {
  // A Squirrel message is measured as it travels: its exact form.
  const bytes = data instanceof TypedMessage ? Buffer.byteLength(JSON.stringify(data.typed)) : measure(api, data, 0, new Set());
  if (bytes > MAX_MESSAGE_BYTES) throw new MessageTooLargeError(api, bytes, MAX_MESSAGE_BYTES);
  return bytes;
}

function measure(api: string, v: unknown, depth: number, seen: Set<object>): number {
  if (v === null || v === undefined) return 4;
  switch (typeof v) {
    case "boolean":
      return 5;
    case "number":
      if (!Number.isFinite(v)) throw new InvalidArgumentError(api, "data", "JSON-compatible (finite numbers)", v);
      return String(v).length;
    case "string":
      return Buffer.byteLength(v) + 2;
    case "object":
      break;
    default:
      throw new InvalidArgumentError(api, "data", "JSON-compatible data or a Uint8Array", v);
  }
  if (v instanceof Uint8Array) return v.byteLength;
  if (depth > 64 || seen.has(v)) throw new InvalidArgumentError(api, "data", "acyclic and at most 64 levels deep", v);
  seen.add(v);
  let n = 2;
  if (Array.isArray(v)) {
    for (const item of v) n += measure(api, item, depth + 1, seen) + 1;
  } else {
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null)
      throw new InvalidArgumentError(api, "data", "a plain object, array, primitive or Uint8Array", v);
    for (const [k, item] of Object.entries(v)) n += Buffer.byteLength(k) + 3 + measure(api, item, depth + 1, seen) + 1;
  }
  seen.delete(v);
  return n;
}

/** What server.log/server.error send for a value: strings as they are, anything else as JSON. */
export function logText(api: string, value: unknown): string {
  let text: string;
  if (typeof value === "string") text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      throw new InvalidArgumentError(api, "message", "a string or JSON-compatible data (no cycles, no BigInt)", value);
    }
  }
  // The cloud closes a connection that sends more (R33's limit applies to log lines too).
  // A UTF-16 unit is at most 3 bytes of UTF-8: most lines are too short to need counting.
  if (text.length * 3 <= MAX_MESSAGE_BYTES) return text;
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_MESSAGE_BYTES) throw new MessageTooLargeError(api, bytes, MAX_MESSAGE_BYTES);
  return text;
}
