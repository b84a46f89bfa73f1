import { SqTable } from "../table.js";
import { SqClass, SqFloat, SqInstance } from "../values.js";
import type { SqValue } from "../values.js";
import { raise } from "../runtime/errors.js";
import { toStr } from "../runtime/ops.js";
import { typeName } from "../runtime/types.js";

/**
 * http.jsonencode / http.jsondecode for Squirrel agents, on Squirrel values:
 * tables encode their keys in the table's own (the imp's) iteration order,
 * integers and floats stay apart, and strings stay bytes (UTF-8 passes through).
 */

function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) out += '\\"';
    else if (c === 92) out += "\\\\";
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c === 8) out += "\\b";
    else if (c === 12) out += "\\f";
    else if (c < 32) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += s[i];
  }
  return out + '"';
}

export function jsonEncode(v: SqValue, depth = 0): string {
  if (depth > 64) raise("http.jsonencode: nested more than 64 levels (a cycle?)");
  if (v === null) return "null";
  if (typeof v === "boolean" || typeof v === "number") return String(v);
  if (v instanceof SqFloat) return Number.isFinite(v.v) ? toStr(v) : "null";
  if (typeof v === "string") return quote(v);
  if (Array.isArray(v)) return `[${v.map((item) => jsonEncode(item, depth + 1)).join(",")}]`;
  if (v instanceof SqTable || v instanceof SqClass) {
    const t = v instanceof SqTable ? v : v.members;
    const parts: string[] = [];
    for (let i = t.nextIndex(0); i >= 0; i = t.nextIndex(i + 1)) parts.push(`${quote(toStr(t.keyAt(i)))}:${jsonEncode(t.valueAt(i), depth + 1)}`);
    return `{${parts.join(",")}}`;
  }
  if (v instanceof SqInstance) return quote(toStr(v));
  return raise(`http.jsonencode: cannot encode a ${typeName(v)}`);
}

/** A JSON parser that keeps what JSON.parse loses: `1.0` is a float, keys go into tables in document order. */
export function jsonDecode(text: string): SqValue {
  let i = 0;
  const fail = (what: string): never => raise(`http.jsondecode: ${what} at byte ${i}`);
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const value = (depth: number): SqValue => {
    if (depth > 512) fail("nesting too deep");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const t = new SqTable();
      ws();
      if (text[i] === "}") {
        i++;
        return t;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a string key");
        const k = str();
        ws();
        if (text[i++] !== ":") fail("expected ':'");
        t.newSlot(k, value(depth + 1));
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return t;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const a: SqValue[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return a;
      }
      for (;;) {
        a.push(value(depth + 1));
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return a;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const)
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (m === null) return fail("unexpected character");
    i += m[0].length;
    const n = Number(m[0]);
    if (m[1] === undefined && m[2] === undefined && n >= -0x80000000 && n <= 0x7fffffff) return n;
    return new SqFloat(Number(m[0]));
  };
  const str = (): string => {
    i++;
    let out = "";
    for (;;) {
      if (i >= text.length) fail("unterminated string");
      const c = text[i++]!;
      if (c === '"') return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = text[i++];
      const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
      if (e !== undefined && e in simple) out += simple[e];
      else if (e === "u") {
        const hex = text.slice(i, i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
        const code = parseInt(hex, 16);
        i += 4;
        out += Buffer.from(String.fromCharCode(code), "utf8").toString("latin1");
      } else fail("bad escape");
    }
  };
  const v = value(0);
  ws();
  if (i < text.length) fail("trailing characters");
  return v;
}
