import { toStr } from "../../squirrel/runtime/ops.js";
import { typeName } from "../../squirrel/runtime/types.js";
import { SqTable } from "../../squirrel/table.js";
import { SqError, SqFloat } from "../../squirrel/values.js";
import type { SqValue } from "../../squirrel/values.js";
import { blobBytes, isBlob, newBlob } from "../../squirrel/builtins/blob-class.js";

/**
 * The exact form of a Squirrel message, as the imp's serializer keeps it
 * (squirrel.md S1), written as JSON-compatible data: integers as numbers,
 * strings as strings of bytes, arrays as arrays; a float is {"f": v}, a table
 * {"t": [k, v, k, v, …]} in its iteration order, a blob {"b": base64}.
 */
export function encodeTyped(v: SqValue, depth = 0): unknown {
  if (depth > 64) throw new SqError("cannot serialize data nested more than 64 levels (a cycle?)");
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "string") return v;
  if (v instanceof SqFloat) return { f: Number.isFinite(v.v) ? v.v : String(v.v) };
  if (Array.isArray(v)) return v.map((item) => encodeTyped(item, depth + 1));
  if (v instanceof SqTable) {
    const kv: unknown[] = [];
    for (let i = v.nextIndex(0); i >= 0; i = v.nextIndex(i + 1)) kv.push(encodeTyped(v.keyAt(i), depth + 1), encodeTyped(v.valueAt(i), depth + 1));
    return { t: kv };
  }
  if (isBlob(v)) return { b: Buffer.from(blobBytes(v)).toString("base64") };
  throw new SqError(`cannot serialize a ${typeName(v)}: ${toStr(v)}`);
}

export function decodeTyped(w: unknown): SqValue {
  if (w === null || typeof w === "boolean" || typeof w === "number" || typeof w === "string") return w;
  if (Array.isArray(w)) return w.map(decodeTyped);
  const o = w as { f?: number | string; t?: unknown[]; b?: string };
  if (o.f !== undefined) return new SqFloat(Number(o.f));
  if (o.b !== undefined) return newBlob(new Uint8Array(Buffer.from(o.b, "base64")));
  const t = new SqTable();
  const kv = o.t ?? [];
  for (let i = 0; i + 1 < kv.length; i += 2) t.newSlot(decodeTyped(kv[i]), decodeTyped(kv[i + 1]));
  return t;
}
