import { floatToInteger, floatToString } from "../format.js";
import { objectId } from "../identity.js";
import { SqTable } from "../table.js";
import { float, SqFloat, SqInstance, SqUserData, truthy } from "../values.js";
import type { SqValue } from "../values.js";
import { raise } from "./errors.js";
import { callMeta, metamethod } from "./meta.js";
import { isNumber, num, typeName } from "./types.js";

/**
 * Squirrel's operators with 32-bit integers and float32 floats (S2). Each has a
 * fast path for two integers; everything else goes through the general rule
 * and, for tables and instances, their metamethods.
 */


function arithMeta(op: string, name: string, a: SqValue, b: SqValue): SqValue {
  const mm = metamethod(a, name);
  if (mm !== null) return callMeta(mm, a, [b]);
  return raise(`arith op ${op} on between '${typeName(a)}' and '${typeName(b)}'`);
}

export function add(a: SqValue, b: SqValue): SqValue {
  if (typeof a === "number" && typeof b === "number") return (a + b) | 0;
  if (isNumber(a) && isNumber(b)) return float(num(a) + num(b));
  if (typeof a === "string" || typeof b === "string") {
    if (typeof a === "string" && typeof b === "string") return a + b;
    return toStr(a) + toStr(b);
  }
  return arithMeta("+", "_add", a, b);
}

export function sub(a: SqValue, b: SqValue): SqValue {
  if (typeof a === "number" && typeof b === "number") return (a - b) | 0;
  if (isNumber(a) && isNumber(b)) return float(num(a) - num(b));
  return arithMeta("-", "_sub", a, b);
}

export function mul(a: SqValue, b: SqValue): SqValue {
  if (typeof a === "number" && typeof b === "number") return Math.imul(a, b);
  if (isNumber(a) && isNumber(b)) return float(num(a) * num(b));
  return arithMeta("*", "_mul", a, b);
}

export function div(a: SqValue, b: SqValue): SqValue {
  if (typeof a === "number" && typeof b === "number") {
    if (b === 0) raise("division by zero");
    return (a / b) | 0; // truncates toward zero; INT_MIN / -1 wraps as the imp's ARM does
  }
  if (isNumber(a) && isNumber(b)) return float(num(a) / num(b));
  return arithMeta("/", "_div", a, b);
}

export function mod(a: SqValue, b: SqValue): SqValue {
  if (typeof a === "number" && typeof b === "number") {
    if (b === 0) raise("modulo by zero");
    return a % b | 0; // the dividend's sign, as C
  }
  if (isNumber(a) && isNumber(b)) return float(num(a) % num(b)); // fmod
  return arithMeta("%", "_modulo", a, b);
}

export function neg(a: SqValue): SqValue {
  if (typeof a === "number") return -a | 0;
  if (a instanceof SqFloat) return float(-a.v);
  const mm = metamethod(a, "_unm");
  if (mm !== null) return callMeta(mm, a, []);
  return raise(`attempt to negate a ${typeName(a)}`);
}

function bitwise(a: SqValue, b: SqValue): void {
  if (typeof a !== "number" || typeof b !== "number") raise(`bitwise op between '${typeName(a)}' and '${typeName(b)}'`);
}

export function band(a: SqValue, b: SqValue): SqValue {
  bitwise(a, b);
  return (a as number) & (b as number);
}
export function bor(a: SqValue, b: SqValue): SqValue {
  bitwise(a, b);
  return (a as number) | (b as number);
}
export function bxor(a: SqValue, b: SqValue): SqValue {
  bitwise(a, b);
  return (a as number) ^ (b as number);
}
/** Shift counts are taken mod 32, as C gives on x86 (S2: programs must not rely on counts ≥ 32). */
export function shl(a: SqValue, b: SqValue): SqValue {
  bitwise(a, b);
  return (a as number) << (b as number);
}
export function shr(a: SqValue, b: SqValue): SqValue {
  bitwise(a, b);
  return (a as number) >> (b as number);
}
export function ushr(a: SqValue, b: SqValue): SqValue {
  bitwise(a, b);
  return ((a as number) >>> (b as number)) | 0;
}
export function bnot(a: SqValue): SqValue {
  if (typeof a !== "number") raise(`attempt to perform a bitwise op on a ${typeName(a)}`);
  return ~(a);
}

export const t = truthy;

/** `==`: same type and value; numbers across integer and float by value; objects by identity. */
export function eq(a: SqValue, b: SqValue): boolean {
  if (a === b) return true;
  if (a instanceof SqFloat) {
    // Two floats compare by their bits (IsEqual's _rawval): 0.0 != -0.0, and a NaN equals itself.
    if (b instanceof SqFloat) return Object.is(a.v, b.v);
    return typeof b === "number" && a.v === Math.fround(b);
  }
  if (b instanceof SqFloat) return typeof a === "number" && Math.fround(a) === b.v;
  return false;
}

/**
 * C's strcmp, which Squirrel's ObjCmp uses for two strings: bytes compare unsigned up to the first NUL (what
 * follows an embedded NUL is not seen, so "a\0y" <=> "a\0z" is 0), and the result is the difference of the
 * first differing bytes, as glibc's and newlib's strcmp give it ("a" <=> "c" is -2).
 */
function strcmp(a: string, b: string): number {
  for (let i = 0; ; i++) {
    const x = i < a.length ? a.charCodeAt(i) : 0;
    const y = i < b.length ? b.charCodeAt(i) : 0;
    if (x !== y || x === 0) return x - y;
  }
}

/** Squirrel's ObjCmp: -1, 0 or 1 for numbers and objects, strcmp's value for strings, what _cmp returns. */
export function compare(a: SqValue, b: SqValue): number {
  if (typeof a === "number" && typeof b === "number") return a === b ? 0 : a < b ? -1 : 1;
  if (isNumber(a) && isNumber(b)) {
    const x = num(a);
    const y = num(b);
    // Like eq, two floats are "the same" by their bits; otherwise anything not less (NaN too) is greater.
    if (a instanceof SqFloat && b instanceof SqFloat) return Object.is(x, y) ? 0 : x < y ? -1 : 1;
    return x === y ? 0 : x < y ? -1 : 1;
  }
  const ta = typeName(a);
  const tb = typeName(b);
  if (ta === tb) {
    if (a === b) return 0;
    if (typeof a === "string") return strcmp(a, b as string);
    if (a instanceof SqTable || a instanceof SqInstance || a instanceof SqUserData) {
      const mm = metamethod(a, "_cmp");
      if (mm !== null) {
        const r = callMeta(mm, a, [b]);
        if (typeof r !== "number") raise("_cmp must return an integer");
        return r;
      }
    }
    if (typeof a === "boolean") return a === b ? 0 : a ? 1 : -1;
    return objectId(a as object) < objectId(b as object) ? -1 : 1;
  }
  if (a === null) return -1;
  if (b === null) return 1;
  return raise(`comparison between '${printObj(a)}' and '${printObj(b)}'`);
}

export const lt = (a: SqValue, b: SqValue): boolean => (typeof a === "number" && typeof b === "number" ? a < b : compare(a, b) < 0);
export const le = (a: SqValue, b: SqValue): boolean => (typeof a === "number" && typeof b === "number" ? a <= b : compare(a, b) <= 0);
export const gt = (a: SqValue, b: SqValue): boolean => (typeof a === "number" && typeof b === "number" ? a > b : compare(a, b) > 0);
export const ge = (a: SqValue, b: SqValue): boolean => (typeof a === "number" && typeof b === "number" ? a >= b : compare(a, b) >= 0);
export const cmp3 = (a: SqValue, b: SqValue): number => compare(a, b);

/** How error texts show a value (PrintObjVal): strings and numbers as they are, others by type. */
export function printObj(v: SqValue): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (v instanceof SqFloat) return floatToPrecision14(v.v);
  return typeName(v);
}

function floatToPrecision14(v: number): string {
  if (!Number.isFinite(v)) return floatToString(v);
  if (Object.is(v, -0)) return "-0"; // C's %.14g keeps the sign; toPrecision drops it
  const s = v.toPrecision(14);
  const [mant, exp] = s.split("e");
  const m = mant!.includes(".") ? mant!.replace(/0+$/, "").replace(/\.$/, "") : mant!;
  if (exp === undefined) return m;
  const e = Number(exp);
  return `${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/** The `(type : 0x…)` text of an object; impnet's "address" is the object's number in its VM. */
export function addressText(v: SqValue): string {
  const id = v === null ? 0 : objectId(v as object);
  return `(${typeName(v)} : 0x${id.toString(16).padStart(8, "0")})`;
}

/** tostring(): what `+ ""` gives for any value, _tostring included. */
export function toStr(v: SqValue): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (v instanceof SqFloat) return floatToString(v.v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof SqTable || v instanceof SqInstance) {
    const mm = metamethod(v, "_tostring");
    if (mm !== null) {
      const r = callMeta(mm, v, []);
      if (typeof r === "string") return r;
    }
  }
  return addressText(v);
}

export function toInteger(v: number | SqFloat): number {
  return typeof v === "number" ? v : floatToInteger(v.v);
}

export { typeName };
