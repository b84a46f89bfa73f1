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
    for (let i = v.nextIndex(0); i >= 0; i = v.nextIndex(i + 1)) {
      const key = v.keyAt(i);
      if (typeof key === "string" && !isSafeString(key)) throw new SqError(`cannot serialize a table key that is not a safe string (UTF-8 without NUL): ${JSON.stringify(key)}`);
      kv.push(encodeTyped(key, depth + 1), encodeTyped(v.valueAt(i), depth + 1));
    }
    return { t: kv };
  }
  if (isBlob(v)) return { b: Buffer.from(blobBytes(v)).toString("base64") };
  throw new SqError(`cannot serialize a ${typeName(v)}: ${toStr(v)}`);
}

/**
 * The imp's serializer takes a string key only when it is a "safe string":
 * ASCII or UTF-8, no NUL. Values may hold any bytes.
 */
function isSafeString(bytes: string): boolean {
  if (bytes.includes("\0")) return false;
  try {
    UTF8.decode(Buffer.from(bytes, "latin1"));
    return true;
  } catch {
    return false;
  }
}
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The Squirrel value of a message's exact form, which arrives from the network: every shape checked. */
export function decodeTyped(w: unknown, depth = 0): SqValue {
  if (depth > 64) throw new SqError("a message nested more than 64 levels deep");
  if (w === null || typeof w === "boolean" || typeof w === "string") return w;
  if (typeof w === "number") return Number.isInteger(w) && w >= -0x80000000 && w <= 0x7fffffff ? w : new SqFloat(w);
  if (Array.isArray(w)) return w.map((item) => decodeTyped(item, depth + 1));
  if (typeof w !== "object") throw new SqError("a message that is not Squirrel data");
  const o = w as { f?: unknown; t?: unknown; b?: unknown };
  if (o.f !== undefined) {
    if (typeof o.f !== "number" && typeof o.f !== "string") throw new SqError("a message with a bad float");
    return new SqFloat(Number(o.f));
  }
  if (o.b !== undefined) {
    if (typeof o.b !== "string") throw new SqError("a message with a bad blob");
    return newBlob(new Uint8Array(Buffer.from(o.b, "base64")));
  }
  if (!Array.isArray(o.t) || o.t.length % 2 !== 0) throw new SqError("a message with a bad table");
  const t = new SqTable();
  for (let i = 0; i < o.t.length; i += 2) {
    const key = decodeTyped(o.t[i], depth + 1);
    if (key === null) throw new SqError("a message with a null table key");
    t.newSlot(key, decodeTyped(o.t[i + 1], depth + 1));
  }
  return t;
}
