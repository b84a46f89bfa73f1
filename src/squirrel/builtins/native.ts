import { SqTable } from "../table.js";
import { SqClass, SqClosure, SqFloat, SqGenerator, SqInstance, SqNative, SqUserData, SqWeakRef } from "../values.js";
import type { Block, SqCallResult, SqValue } from "../values.js";
import { raise } from "../runtime/errors.js";
import { typeName } from "../runtime/types.js";

/**
 * Squirrel's typemask letters for a native's parameters (`this` first):
 * o null, i integer, f float, n number, s string, t table, a array, u userdata,
 * c function, g generator, x instance, y class, b bool, r weakref, . any; `|` joins.
 */
const LETTERS: Record<string, [string, (v: SqValue) => boolean]> = {
  o: ["null", (v) => v === null],
  i: ["integer", (v) => typeof v === "number"],
  f: ["float", (v) => v instanceof SqFloat],
  s: ["string", (v) => typeof v === "string"],
  t: ["table", (v) => v instanceof SqTable],
  a: ["array", (v) => Array.isArray(v)],
  u: ["userdata", (v) => v instanceof SqUserData],
  c: ["closure|nativeclosure", (v) => v instanceof SqClosure || v instanceof SqNative],
  g: ["generator", (v) => v instanceof SqGenerator],
  x: ["instance", (v) => v instanceof SqInstance],
  y: ["class", (v) => v instanceof SqClass],
  b: ["bool", (v) => typeof v === "boolean"],
  r: ["weakref", (v) => v instanceof SqWeakRef],
};

function checker(mask: string): ((v: SqValue) => boolean) & { expected: string } {
  const parts = mask.split("|").flatMap((p) => (p === "n" ? ["i", "f"] : [p]));
  const tests = parts.map((p) => LETTERS[p]);
  if (tests.some((t) => t === undefined)) throw new Error(`bad typemask ${mask}`);
  const fn = ((v: SqValue) => tests.some((t) => t![1](v))) as ((v: SqValue) => boolean) & { expected: string };
  fn.expected = tests.map((t) => t![0]).join("|");
  return fn;
}

export type NativeFn = (self: SqValue, args: SqValue[]) => SqValue | Block | SqCallResult;

/**
 * A native function. `nparams` counts `this` as Squirrel's nparamscheck does
 * (n exactly, -n at least n, 0 any); `mask` is the typemask with one entry per
 * parameter, `this` first, spaces or nothing between entries.
 */
export function native(name: string, nparams: number, mask: string | null, fn: NativeFn, calls = false): SqNative {
  if (mask === null) return new SqNative(name, fn, nparams, calls);
  const entries = mask.match(/[a-z.](\|[a-z])*/g) ?? [];
  const checks = entries.map((e) => (e === "." ? null : checker(e)));
  const checked: NativeFn = (self, args) => {
    for (let i = 0; i < checks.length; i++) {
      const c = checks[i];
      if (c === null || c === undefined) continue;
      const v = i === 0 ? self : args[i - 1];
      if (v === undefined) break;
      if (!c(v)) raise(`parameter ${i} has an invalid type '${typeName(v)}' ; expected: '${c.expected}'`);
    }
    return fn(self, args);
  };
  return new SqNative(name, checked, nparams, calls);
}

/** A table of natives, as the default delegates and library tables are. */
export function nativeTable(entries: SqNative[], extra: [string, SqValue][] = []): SqTable {
  const t = new SqTable();
  for (const n of entries) t.newSlot(n.name, n);
  for (const [k, v] of extra) t.newSlot(k, v);
  return t;
}
