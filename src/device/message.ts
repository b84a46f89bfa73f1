import { InvalidArgumentError, MessageTooLargeError } from "../errors.js";
import { MAX_MESSAGE_BYTES } from "../constants.js";

/**
 * A message from a Squirrel program (squirrel.md S1): its JSON projection, for
 * JavaScript ends and the timeline (R33), and its exact Squirrel form, which a
 * Squirrel end receives as sent (integers apart from floats, byte strings,
 * blobs, table keys of any type). Immutable: it travels without copying.
 */
export class TypedMessage {
  constructor(
    readonly json: unknown,
    readonly typed: unknown,
  ) {}
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
  const bytes = measure(api, projection(data), 0, new Set());
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
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_MESSAGE_BYTES) throw new MessageTooLargeError(api, bytes, MAX_MESSAGE_BYTES);
  return text;
}
