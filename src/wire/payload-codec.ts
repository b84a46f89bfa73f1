import { TypedMessage } from "./message.js";

/**
 * Message payloads on the wire: JSON, with a Uint8Array written as
 * `{"$binary": "<base64>"}` so that binary data survives the trip (R33).
 */
export function encodeMessage(name: string, data: unknown): string {
  // A Squirrel program's message travels in its exact form only (`sq`); the receiver derives the JSON view.
  if (data instanceof TypedMessage) return JSON.stringify({ name, sq: data.typed });
  return JSON.stringify({ name, data: toWire(data) });
}

/**
 * How deep a payload may nest. A sender refuses data deeper than 64 levels
 * (R33, S7); a Squirrel table takes two JSON levels on the wire (`{"t": […]}`),
 * plus the envelope. Anything deeper did not come from impnet, and walking it
 * recursively would overflow the stack of whoever receives it.
 */
export const MAX_WIRE_DEPTH = 2 * 64 + 4;

/** A message as it arrived, or why it cannot be read (the receiver says so and drops it). */
export type DecodedMessage = { name: string; data: unknown } | { refused: string };

export function decodeMessage(payload: Buffer): DecodedMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString("utf8"));
  } catch {
    return { refused: "not JSON" };
  }
  if (typeof parsed !== "object" || parsed === null) return { refused: "not a JSON object" };
  const { name, data, sq } = parsed as { name?: unknown; data?: unknown; sq?: unknown };
  if (typeof name !== "string") return { refused: 'no string "name"' };
  if (!depthWithin(parsed, MAX_WIRE_DEPTH)) return { refused: `"${name}" nests more than ${MAX_WIRE_DEPTH} levels deep` };
  return { name, data: sq === undefined ? fromWire(data) : new TypedMessage(sq) };
}

/** Whether JSON data nests at most `limit` levels, found without recursion. */
function depthWithin(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth > limit) return false;
    for (const item of Array.isArray(v) ? v : Object.values(v)) stack.push([item, depth + 1]);
  }
  return true;
}

export function encodeLog(text: string, error: boolean): string {
  return JSON.stringify({ text, error });
}

export function decodeLog(payload: Buffer): { text: string; error: boolean } | null {
  try {
    const parsed = JSON.parse(payload.toString("utf8")) as { text?: unknown; error?: unknown };
    if (typeof parsed.text !== "string") return null;
    return { text: parsed.text, error: parsed.error === true };
  } catch {
    return null;
  }
}

/** A plain object that would read back as one of the wire's own forms goes inside `{"$object": …}`. */
const ESCAPED = new Set(["$binary", "$object"]);

function toWire(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $binary: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  if (Array.isArray(v)) return v.map(toWire);
  if (typeof v === "object" && v !== null) {
    const out = entries(Object.entries(v), toWire);
    const keys = Object.keys(v);
    return keys.length === 1 && ESCAPED.has(keys[0]!) ? { $object: out } : out;
  }
  return v;
}

function fromWire(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromWire);
  if (typeof v !== "object" || v === null) return v;
  const keys = Object.keys(v);
  if (keys.length === 1) {
    const { $binary, $object } = v as { $binary?: unknown; $object?: unknown };
    if (keys[0] === "$binary" && typeof $binary === "string") return new Uint8Array(Buffer.from($binary, "base64"));
    if (keys[0] === "$object" && typeof $object === "object" && $object !== null && !Array.isArray($object)) return entries(Object.entries($object), fromWire);
  }
  return entries(Object.entries(v), fromWire);
}

/** A plain object from entries: defineProperty, so that a key named "__proto__" is data like any other. */
function entries(list: [string, unknown][], map: (v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, item] of list) Object.defineProperty(out, k, { value: map(item), enumerable: true, writable: true, configurable: true });
  return out;
}
