import { TypedMessage } from "../device/message.js";

/**
 * Message payloads on the wire: JSON, with a Uint8Array written as
 * `{"$binary": "<base64>"}` so that binary data survives the trip (R33).
 */
export function encodeMessage(name: string, data: unknown): string {
  // A Squirrel program's message travels in its exact form only (`sq`); the receiver derives the JSON view.
  if (data instanceof TypedMessage) return JSON.stringify({ name, sq: data.typed });
  return JSON.stringify({ name, data: toWire(data) });
}

export function decodeMessage(payload: Buffer): { name: string; data: unknown } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString("utf8"));
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const { name, data, sq } = parsed as { name?: unknown; data?: unknown; sq?: unknown };
  if (typeof name !== "string") return null;
  return { name, data: sq === undefined ? fromWire(data) : new TypedMessage(sq) };
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

function toWire(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $binary: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  if (Array.isArray(v)) return v.map(toWire);
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) out[k] = toWire(item);
    return out;
  }
  return v;
}

function fromWire(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromWire);
  if (typeof v !== "object" || v === null) return v;
  const keys = Object.keys(v);
  const binary = (v as { $binary?: unknown }).$binary;
  if (keys.length === 1 && typeof binary === "string") return new Uint8Array(Buffer.from(binary, "base64"));
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(v)) out[k] = fromWire(item);
  return out;
}
