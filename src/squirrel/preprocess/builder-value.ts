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

/** JavaScript's String(), as Builder writes values into the output. */
export function stringify(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return (v as readonly Value[]).map((e) => (e === null ? "" : stringify(e))).join(",");
  if (v instanceof BuilderFunction) throw new ExpressionError(`"${v.name}" is a function; call it`);
  return "[object Object]";
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
