import { BuilderFunction, BuilderRecord, checkLength, ExpressionError, stringify, toNumber } from "./builder-value.js";
import type { Value } from "./builder-value.js";

/**
 * Builder's helper functions (README, "Builder Functions"), less `defined()`
 * (syntax, in the evaluator) and `include()` (it needs the preprocessor):
 * `escape`, `base64`, `min`, `max`, `abs` and the `S.*` string functions.
 */
export const builtinFunctions: ReadonlyMap<string, Value> = new Map<string, Value>([
  ["escape", fn("escape", (a) => escape(stringify(arg(a, 0))))],
  ["base64", fn("base64", (a) => Buffer.from(stringify(arg(a, 0)), "utf8").toString("base64"))],
  // Folded, not Math.min(...args): spreading thousands of arguments overflows the stack.
  ["min", fn("min", (a) => numbers(a).reduce((m, x) => Math.min(m, x)))],
  ["max", fn("max", (a) => numbers(a).reduce((m, x) => Math.max(m, x)))],
  ["abs", fn("abs", (a) => Math.abs(toNumber(arg(a, 0))))],
  ["S", new BuilderRecord(stringFunctions())],
]);

/**
 * A builtin whose string result is held to the preprocessor's limit. Those
 * that could pass V8's own limit on the way (repeat, concat) check before
 * building; the rest grow a string a few times at most (escape, base64,
 * toUpperCase), which V8 can build, so checking the result is enough.
 */
function fn(name: string, impl: (args: Value[]) => Value): BuilderFunction {
  return new BuilderFunction(name, (args) => {
    const v = impl(args);
    if (typeof v === "string") checkLength(v.length, "the result");
    return v;
  });
}

function arg(args: Value[], i: number): Value {
  if (args.length <= i) throw new ExpressionError(`needs ${i + 1} argument${i === 0 ? "" : "s"}`);
  return args[i]!;
}

function numbers(args: Value[]): number[] {
  if (args.length === 0) throw new ExpressionError("needs at least 1 argument");
  return args.map(toNumber);
}

const ESCAPED: Readonly<Record<string, string>> = {
  '"': '\\"',
  "'": "\\'",
  "\\": "\\\\",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

function escape(s: string): string {
  return s.replace(/["'\\\b\f\n\r\t]/g, (c) => ESCAPED[c] ?? c);
}

// S.name(string, ...args): JavaScript's String methods of those names.
function stringFunctions(): Map<string, Value> {
  const optNum = (v: Value | undefined): number | undefined => (v === undefined || v === null ? undefined : toNumber(v));
  const str = (v: Value | undefined): string => (v === undefined ? "undefined" : stringify(v));
  const table: Record<string, (s: string, a: Value[]) => Value> = {
    concat: (s, a) => {
      const parts = a.map(str);
      checkLength(parts.reduce((n, p) => n + p.length, s.length), "the result");
      return s + parts.join(""); // not concat(...parts): spreading thousands of arguments overflows the stack
    },
    endsWith: (s, a) => s.endsWith(str(a[0]), optNum(a[1])),
    includes: (s, a) => s.includes(str(a[0]), optNum(a[1])),
    repeat: (s, a) => {
      const n = toNumber(a[0] ?? 0);
      if (!(n >= 0) || !Number.isFinite(n)) throw new ExpressionError(`invalid count ${stringify(a[0] ?? null)}`);
      checkLength(s.length * Math.floor(n), "the result");
      return s.repeat(n);
    },
    split: (s, a) => (a[0] === undefined || a[0] === null ? [s] : s.split(str(a[0]), optNum(a[1]))),
    startsWith: (s, a) => s.startsWith(str(a[0]), optNum(a[1])),
    substr: (s, a) => s.substr(toNumber(a[0] ?? 0), optNum(a[1])),
    substring: (s, a) => s.substring(toNumber(a[0] ?? 0), optNum(a[1])),
    toLowerCase: (s) => s.toLowerCase(),
    toUpperCase: (s) => s.toUpperCase(),
    trim: (s) => s.trim(),
    trimLeft: (s) => s.trimStart(),
    trimRight: (s) => s.trimEnd(),
  };
  const out = new Map<string, Value>();
  for (const [name, impl] of Object.entries(table)) {
    out.set(
      name,
      fn(`S.${name}`, (a) => {
        if (a.length === 0 || a[0] === null) throw new ExpressionError("needs a string as its first argument");
        return impl(stringify(a[0]!), a.slice(1));
      }),
    );
  }
  return out;
}
