import { MAX_ALLOCATION } from "../runtime/errors.js";

/**
 * A value in a Builder expression. Strings here are text (UTF-16), not the
 * byte strings of the Squirrel source around them.
 */
export type Value = null | boolean | number | string | readonly Value[] | BuilderRecord | BuilderFunction;

/** A value with named fields: `loop` (`loop.index`), the `S` string functions. */
export class BuilderRecord {
  constructor(readonly fields: ReadonlyMap<string, Value>) {}
}

/** A function an expression may call: a builtin, a macro, `include()`. */
export class BuilderFunction {
  constructor(
    readonly name: string,
    readonly impl: (args: Value[]) => Value,
  ) {}
}

/** An error in an expression, at character `pos` of its text (-1: the caller places it). */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly pos = -1,
  ) {
    super(message);
  }
}

/**
 * The longest string the preprocessor builds (characters in an expression,
 * bytes of output): the runtime's cap on one allocation. Past V8's own limit
 * (about 2^29) building one throws a bare RangeError, after first taking
 * that much memory; `@repeat` doubling a string gets there in 30 steps.
 */
export const MAX_STRING_LENGTH = MAX_ALLOCATION;

/** Refuses, before it is built, a string of `length` characters that is over the limit. */
export function checkLength(length: number, what: string, pos = -1): void {
  if (length > MAX_STRING_LENGTH) {
    throw new ExpressionError(`${what} would be ${length} characters long, more than the preprocessor's limit of ${MAX_STRING_LENGTH}`, pos);
  }
}

/** Arrays in arrays deeper than this are refused: writing them recurses. `@set A = [A]` in a loop nests without bound. */
const MAX_ARRAY_DEPTH = 200;

/** JavaScript's String(), as Builder writes values into the output. */
export function stringify(v: Value): string {
  return Array.isArray(v) ? writeArray(v as readonly Value[], 0, new Map()) : writeScalar(v);
}

function writeScalar(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof BuilderFunction) throw new ExpressionError(`"${v.name}" is a function; call it`);
  return "[object Object]";
}

/**
 * An array as Array.prototype.join writes it. Each array is written once
 * (`done`): `@set A = [A, A]` in a loop shares its halves, and writing every
 * path of that tree would take time doubling with each step.
 */
function writeArray(a: readonly Value[], depth: number, done: Map<readonly Value[], string>): string {
  const known = done.get(a);
  if (known !== undefined) return known;
  if (depth >= MAX_ARRAY_DEPTH) throw new ExpressionError(`arrays nested too deeply to write (more than ${MAX_ARRAY_DEPTH} levels)`);
  const parts = a.map((e) => (e === null ? "" : Array.isArray(e) ? writeArray(e as readonly Value[], depth + 1, done) : writeScalar(e)));
  checkLength(parts.reduce((n, p) => n + p.length, Math.max(parts.length - 1, 0)), "an array written as a string");
  const s = parts.join(",");
  done.set(a, s);
  return s;
}

/** JavaScript's Number(), for arithmetic and comparisons. */
export function toNumber(v: Value): number {
  if (v === null) return 0;
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") return Number(v);
  if (Array.isArray(v)) return Number(stringify(v));
  return Number.NaN;
}

/** JavaScript's truthiness, as Builder tests conditions. */
export function truthy(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0 && !Number.isNaN(v);
  if (typeof v === "string") return v !== "";
  return true;
}

/** What kind of value, for messages. */
export function kindOf(v: Value): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (v instanceof BuilderFunction) return "a function";
  if (v instanceof BuilderRecord) return "an object";
  return `a ${typeof v}`;
}
