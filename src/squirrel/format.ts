/**
 * Numbers as text, the way Squirrel 3.0.4 on the imp does it (spec S2, S4):
 *
 * - a float prints as C's `%g` (6 significant digits) of its float32 value;
 * - `format(fmt, ...)` is the standard library's printf subset
 *   (`%d %i %u %o %x %X %c %s %f %e %E %g %G %%`, flags `-+ #0`, width and
 *   precision of at most two digits each, no `*`, no length modifiers);
 * - `string.tointeger()` / `tofloat()` parse like the C library's `strtol`
 *   (base 10, 32-bit `long` as on the imp) or `strtod`.
 *
 * Every digit comes from the exact binary value with round-half-to-even, as
 * glibc's printf does; JavaScript's toFixed/toPrecision round halves upward,
 * so they are only used where no tie is possible.
 */
import { SqError, SqFloat, type SqValue } from "./values.js";

// ---------------------------------------------------------------------------
// Integers

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** An integer's text: C's `%d` of an int32. */
export function integerToString(n: number): string {
  return String(n | 0);
}

/**
 * A float converted to an integer (`tointeger()`, an integer format of a float
 * argument, any C `(SQInteger)f` cast): truncates toward zero, saturates at the
 * int32 range and gives 0 for NaN, as the imp's ARM does (x86 builds of the
 * reference interpreter give −2147483648 for NaN and out-of-range values).
 */
export function floatToInteger(v: number): number {
  if (v !== v) return 0;
  if (v >= INT_MAX) return INT_MAX;
  if (v <= INT_MIN) return INT_MIN;
  return Math.trunc(v) | 0;
}

/** Integer `a / b`: truncates toward zero; INT_MIN / −1 wraps to INT_MIN (ARM; x86 traps). */
export function intDiv(a: number, b: number): number {
  if (b === 0) throw new SqError("division by zero");
  return (a / b) | 0;
}

/** Integer `a % b`: the result takes the dividend's sign; INT_MIN % −1 is 0. */
export function intMod(a: number, b: number): number {
  if (b === 0) throw new SqError("modulo by zero");
  return a % b | 0;
}

// ---------------------------------------------------------------------------
// Exact decimal digits of a double

const view = new DataView(new ArrayBuffer(8));

/** A positive finite double as m·2^e with m an integer. */
function decompose(x: number): [bigint, number] {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return [frac, -1074];
  return [frac | (1n << 52n), biased - 1075];
}

const pow10Cache: bigint[] = [1n];
function pow10(k: number): bigint {
  let p = pow10Cache[k];
  if (p === undefined) {
    p = 10n ** BigInt(k);
    pow10Cache[k] = p;
  }
  return p;
}

/** round(x · 10^s) to an integer, halves to even; x positive finite. */
function scaleRound(x: number, s: number): bigint {
  const [m, e] = decompose(x);
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (s >= 0) num *= pow10(s);
  else den *= pow10(-s);
  const q = num / den;
  const twice = (num - q * den) * 2n;
  if (twice > den || (twice === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

interface Sig {
  /** Exactly P decimal digits, the first non-zero (all zeros for 0). */
  digits: string;
  /** The decimal exponent of the first digit. */
  exp: number;
}

/** x (≥ 0, finite) rounded to P significant digits, exactly. */
function significant(x: number, P: number): Sig {
  if (x === 0) return { digits: "0".repeat(P), exp: 0 };
  let X = Math.floor(Math.log10(x));
  const lower = pow10(P - 1);
  const upper = pow10(P);
  let q = scaleRound(x, P - 1 - X);
  while (q >= upper) {
    X++;
    q = scaleRound(x, P - 1 - X);
  }
  while (q < lower) {
    X--;
    q = scaleRound(x, P - 1 - X);
  }
  return { digits: q.toString(), exp: X };
}

/** x (≥ 0, finite) with exactly f digits after the point (C's `%.{f}f` body). */
function fixed(x: number, f: number): string {
  let s = x === 0 ? "0" : scaleRound(x, f).toString();
  if (f === 0) return s;
  if (s.length <= f) s = "0".repeat(f + 1 - s.length) + s;
  return `${s.slice(0, s.length - f)}.${s.slice(s.length - f)}`;
}

function exponentText(X: number): string {
  const a = Math.abs(X);
  return (X < 0 ? "-" : "+") + (a < 10 ? `0${a}` : String(a));
}

/** `%e` body from P significant digits. */
function expForm(sig: Sig, alt: boolean, upper: boolean): string {
  const d = sig.digits;
  const mant = d.length > 1 || alt ? `${d[0]}.${d.slice(1)}` : d;
  return mant + (upper ? "E" : "e") + exponentText(sig.exp);
}

function stripZeros(s: string): string {
  if (!s.includes(".")) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/** `%g` body of x (≥ 0, finite) from its digits rounded to P significant digits. */
function gForm(sig: Sig, P: number, alt: boolean, upper: boolean): string {
  const X = sig.exp;
  if (X < -4 || X >= P) {
    const e = expForm(sig, alt, upper);
    if (alt) return e;
    const at = e.indexOf(upper ? "E" : "e");
    return stripZeros(e.slice(0, at)) + e.slice(at);
  }
  const d = sig.digits;
  let s: string;
  if (X >= 0) s = X + 1 < d.length ? `${d.slice(0, X + 1)}.${d.slice(X + 1)}` : d;
  else s = `0.${"0".repeat(-X - 1)}${d}`;
  if (alt) return s.includes(".") ? s : `${s}.`;
  return stripZeros(s);
}

/**
 * P=6 significant digits the fast way: toExponential rounds the exact value
 * correctly except that it breaks a tie upward; a tie shows as a 7th digit of
 * 5 (necessary, not sufficient), and then the exact path decides.
 */
function significant6(x: number): Sig {
  const seven = x.toExponential(6);
  if (seven.charCodeAt(7) === 53) return significant(x, 6);
  const six = x.toExponential(5);
  return { digits: six[0]! + six.slice(2, 7), exp: Number(six.slice(8)) };
}

/**
 * How Squirrel prints a float (`tostring()`, `+ ""`, `server.log(f)`): C's
 * `%g` of the float32 value. NaN prints "nan" whatever its sign bit (the imp's
 * ARM makes positive NaNs; an x86 build of the reference prints 0.0/0.0 as "-nan").
 */
export function floatToString(v: number): string {
  const x = Math.fround(v);
  if (x !== x) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  const neg = x < 0 || Object.is(x, -0);
  const a = neg ? -x : x;
  const body = a === 0 ? "0" : gForm(significant6(a), 6, false, false);
  return neg ? `-${body}` : body;
}

// ---------------------------------------------------------------------------
// format()

const NOT_ENOUGH = "not enough paramters for the given format string";

interface Spec {
  left: boolean;
  plus: boolean;
  space: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  /** -1 when not given. */
  prec: number;
}

function pad(spec: Spec, prefix: string, body: string, zeroOk: boolean): string {
  const len = prefix.length + body.length;
  if (len >= spec.width) return prefix + body;
  const fill = spec.width - len;
  if (spec.left) return prefix + body + " ".repeat(fill);
  if (spec.zero && zeroOk) return prefix + "0".repeat(fill) + body;
  return " ".repeat(fill) + prefix + body;
}

function formatInteger(spec: Spec, conv: string, v: number): string {
  if (conv === "c") return pad(spec, "", String.fromCharCode(v & 0xff), false);
  let prefix = "";
  let digits: string;
  if (conv === "d" || conv === "i") {
    if (v < 0) prefix = "-";
    else if (spec.plus) prefix = "+";
    else if (spec.space) prefix = " ";
    digits = String(Math.abs(v));
  } else {
    const u = v >>> 0;
    digits = u.toString(conv === "o" ? 8 : conv === "u" ? 10 : 16);
    if (conv === "X") digits = digits.toUpperCase();
    if (spec.alt && u !== 0 && conv === "x") prefix = "0x";
    if (spec.alt && u !== 0 && conv === "X") prefix = "0X";
  }
  if (spec.prec >= 0) {
    if (spec.prec === 0 && v === 0) digits = "";
    else if (digits.length < spec.prec) digits = "0".repeat(spec.prec - digits.length) + digits;
  }
  if (conv === "o" && spec.alt && digits.charCodeAt(0) !== 48) digits = `0${digits}`;
  return pad(spec, prefix, digits, spec.prec < 0);
}

function formatFloat(spec: Spec, conv: string, x: number): string {
  const upper = conv === "E" || conv === "G";
  const neg = x < 0 || Object.is(x, -0);
  const prefix = neg ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  if (x !== x) return pad(spec, prefix, upper ? "NAN" : "nan", false);
  if (x === Infinity || x === -Infinity) return pad(spec, prefix, upper ? "INF" : "inf", false);
  const a = neg ? -x : x;
  const prec = spec.prec < 0 ? 6 : spec.prec;
  let body: string;
  if (conv === "f") {
    body = fixed(a, prec);
    if (spec.alt && prec === 0) body += ".";
  } else if (conv === "e" || conv === "E") {
    body = expForm(significant(a, prec + 1), spec.alt, upper);
  } else {
    const P = prec === 0 ? 1 : prec;
    body = gForm(significant(a, P), P, spec.alt, upper);
  }
  return pad(spec, prefix, body, true);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Squirrel's `format(fmt, ...args)` (the standard library's `sqstd_format`,
 * 3.0.4 as on the imp). Like 3.0.4 it reads the format only up to its first
 * NUL byte (3.1 reads past NULs); output NULs (`%c` of 0) are kept. Throws
 * SqError with the stock texts: "not enough paramters for the given format
 * string" (sic), "invalid format" (unknown conversion, `*`, length modifiers
 * such as `l`, a `%` at the end), "width format too long" / "precision format
 * too long" (three digits or more), "format too long" (more than 20
 * characters of flags, width and precision), "integer expected for the
 * specified format", "float expected for the specified format", "string
 * expected for the specified format".
 */
export function formatPrintf(fmt: string, args: SqValue[]): string {
  const nul = fmt.indexOf("\0");
  const end = nul < 0 ? fmt.length : nul;
  // A byte past the end reads as NUL, as the C string does.
  const at = (i: number): number => (i < end ? fmt.charCodeAt(i) : 0);
  let out = "";
  let n = 0;
  let next = 0;
  while (n < end) {
    const pct = fmt.indexOf("%", n);
    if (pct < 0 || pct >= end) {
      out += fmt.slice(n, end);
      break;
    }
    out += fmt.slice(n, pct);
    n = pct + 1;
    if (at(n) === 37) {
      out += "%";
      n++;
      continue;
    }
    if (next >= args.length) throw new SqError(NOT_ENOUGH);
    const start = n;
    const spec: Spec = { left: false, plus: false, space: false, alt: false, zero: false, width: 0, prec: -1 };
    for (;;) {
      const c = at(n);
      if (c === 45) spec.left = true;
      else if (c === 43) spec.plus = true;
      else if (c === 32) spec.space = true;
      else if (c === 35) spec.alt = true;
      else if (c === 48) spec.zero = true;
      else break;
      n++;
    }
    let wc = 0;
    while (isDigit(at(n))) {
      spec.width = spec.width * 10 + at(n) - 48;
      n++;
      if (++wc >= 3) throw new SqError("width format too long");
    }
    if (at(n) === 46) {
      n++;
      spec.prec = 0;
      wc = 0;
      while (isDigit(at(n))) {
        spec.prec = spec.prec * 10 + at(n) - 48;
        n++;
        if (++wc >= 3) throw new SqError("precision format too long");
      }
    }
    if (n - start > 20) throw new SqError("format too long");
    const conv = String.fromCharCode(at(n));
    const arg = args[next]!;
    switch (conv) {
      case "s": {
        if (typeof arg !== "string") throw new SqError("string expected for the specified format");
        const z = arg.indexOf("\0");
        let s = z < 0 ? arg : arg.slice(0, z);
        if (spec.prec >= 0 && s.length > spec.prec) s = s.slice(0, spec.prec);
        out += pad(spec, "", s, false);
        break;
      }
      case "d":
      case "i":
      case "u":
      case "o":
      case "x":
      case "X":
      case "c": {
        let v: number;
        if (typeof arg === "number") v = arg | 0;
        else if (arg instanceof SqFloat) v = floatToInteger(arg.v);
        else throw new SqError("integer expected for the specified format");
        out += formatInteger(spec, conv, v);
        break;
      }
      case "f":
      case "e":
      case "E":
      case "g":
      case "G": {
        let x: number;
        if (typeof arg === "number") x = Math.fround(arg);
        else if (arg instanceof SqFloat) x = arg.v;
        else throw new SqError("float expected for the specified format");
        out += formatFloat(spec, conv, x);
        break;
      }
      default:
        throw new SqError("invalid format");
    }
    n++;
    next++;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Strings to numbers

/** C's isspace in the "C" locale. */
function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** strtol(s, &end, 10) with a 32-bit long (the imp's): null when nothing converts; saturates. */
function strtol10(s: string): number | null {
  let i = 0;
  while (isCSpace(s.charCodeAt(i))) i++;
  let neg = false;
  const sign = s.charCodeAt(i);
  if (sign === 43 || sign === 45) {
    neg = sign === 45;
    i++;
  }
  const first = i;
  let v = 0;
  while (isDigit(s.charCodeAt(i))) {
    if (v <= 2147483648) v = v * 10 + s.charCodeAt(i) - 48;
    i++;
  }
  if (i === first) return null;
  if (neg) return v >= 2147483648 ? INT_MIN : -v | 0;
  return v >= INT_MAX ? INT_MAX : v;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?/;
const SPECIAL = /^([+-]?)(inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)/i;

/** strtod(s, &end) as glibc's: the double value, or null when nothing converts. */
function strtod(s: string): number | null {
  let i = 0;
  while (isCSpace(s.charCodeAt(i))) i++;
  const t = s.slice(i);
  const hex = HEX.exec(t);
  if (hex !== null && (hex[2] !== "" || (hex[3] !== undefined && hex[3] !== ""))) {
    const int = hex[2]!;
    const frac = hex[3] ?? "";
    let exp = hex[4] === undefined ? 0 : Number(hex[4]);
    exp = Math.max(-100000, Math.min(100000, exp)) - 4 * frac.length;
    let mant = BigInt(`0x${int}${frac}`);
    // Keep 64 bits and a sticky bit: Number() then rounds to 53 bits exactly as strtod does.
    const extra = mant.toString(2).length - 64;
    if (extra > 0) {
      const sticky = (mant & ((1n << BigInt(extra)) - 1n)) === 0n ? 0n : 1n;
      mant = (mant >> BigInt(extra)) | sticky;
      exp += extra;
    }
    let v = Number(mant);
    // Apply 2^exp in steps that stay exact until over- or underflow.
    while (exp > 0 && v !== Infinity && v !== 0) {
      const k = Math.min(exp, 1000);
      v *= 2 ** k;
      exp -= k;
    }
    while (exp < 0 && v !== 0) {
      const k = Math.min(-exp, 1000);
      v /= 2 ** k;
      exp += k;
    }
    return hex[1] === "-" ? -v : v;
  }
  const special = SPECIAL.exec(t);
  if (special !== null) {
    const v = special[2]![0] === "n" || special[2]![0] === "N" ? NaN : Infinity;
    return special[1] === "-" ? -v : v;
  }
  const dec = DECIMAL.exec(t);
  if (dec !== null) return Number(dec[0]);
  return null;
}

/**
 * Squirrel's str2num (base 10): the text up to its first NUL is a float when
 * it holds '.', 'e' or 'E' anywhere (parsed with strtod, then cast to float32),
 * else an integer (strtol, base 10). Leading whitespace and trailing garbage
 * are accepted ("12abc" → 12). Returns an integer (number), an SqFloat, or
 * null when nothing converts.
 */
export function stringToNumber(s: string): number | SqFloat | null {
  const z = s.indexOf("\0");
  const t = z < 0 ? s : s.slice(0, z);
  if (/[.eE]/.test(t)) {
    const d = strtod(t);
    return d === null ? null : new SqFloat(d);
  }
  return strtol10(t);
}

/** `string.tointeger()`: throws "cannot convert the string" when nothing converts. */
export function stringToInteger(s: string): number {
  const r = stringToNumber(s);
  if (r === null) throw new SqError("cannot convert the string");
  return typeof r === "number" ? r : floatToInteger(r.v);
}

/** `string.tofloat()`: the float32 value (a JS number; wrap with `float()`). Throws "cannot convert the string". */
export function stringToFloat(s: string): number {
  const r = stringToNumber(s);
  if (r === null) throw new SqError("cannot convert the string");
  return typeof r === "number" ? Math.fround(r) : r.v;
}
