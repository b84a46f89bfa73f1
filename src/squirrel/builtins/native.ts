import { SqTable } from "../table.js";
import { SqClass, SqClosure, SqFloat, SqGenerator, SqInstance, SqNative, SqWeakRef } from "../values.js";
import type { Block, SqCallResult, SqValue } from "../values.js";
import { raise } from "../runtime/errors.js";
import { typeName } from "../runtime/types.js";

/**
 * Squirrel's typemask letters for a native's parameters (`this` first):
 * o null, i integer, f float, n number, s string, t table, a array, u userdata,
 * c function, g generator, x instance, y class, b bool, r weakref, . any; `|` joins.
 * Each letter sets the bits of Squirrel's type ids (squirrel.h's _RT_*).
 */
const BITS: Record<string, number> = {
  o: 0x1, i: 0x2, f: 0x4, n: 0x6, b: 0x8, s: 0x10, t: 0x20, a: 0x40, u: 0x80, c: 0x300, g: 0x400, y: 0x4000, x: 0x8000, r: 0x10000,
};

/** A value's type id bit. */
function typeBit(v: SqValue): number {
  if (v === null) return 0x1;
  switch (typeof v) {
    case "number": return 0x2;
    case "boolean": return 0x8;
    case "string": return 0x10;
    default: break;
  }
  if (v instanceof SqFloat) return 0x4;
  if (v instanceof SqTable) return 0x20;
  if (Array.isArray(v)) return 0x40;
  if (v instanceof SqClosure) return 0x100;
  if (v instanceof SqNative) return 0x200;
  if (v instanceof SqGenerator) return 0x400;
  if (v instanceof SqClass) return 0x4000;
  if (v instanceof SqInstance) return 0x8000;
  if (v instanceof SqWeakRef) return 0x10000;
  return 0x80;
}

/** The names of the first 16 type bits, as the reference's Raise_ParamTypeError lists them (weakref is past them). */
const BIT_NAMES = ["null", "integer", "float", "bool", "string", "table", "array", "userdata", "function", "function", "generator", "userdata", "thread", "function", "class", "instance"];

function expectedTypes(mask: number): string {
  const names: string[] = [];
  for (let i = 0; i < 16; i++) if (mask & (1 << i)) names.push(BIT_NAMES[i]!);
  return names.join("|");
}

function compileMask(entry: string): number {
  let mask = 0;
  for (const letter of entry.split("|")) {
    const bit = BITS[letter];
    if (bit === undefined) throw new Error(`bad typemask ${entry}`);
    mask |= bit;
  }
  return mask;
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
  const masks = entries.map((e) => (e === "." ? -1 : compileMask(e)));
  const checked: NativeFn = (self, args) => {
    for (let i = 0; i < masks.length; i++) {
      const m = masks[i]!;
      if (m === -1) continue;
      const v = i === 0 ? self : args[i - 1];
      if (v === undefined) break;
      if ((typeBit(v) & m) === 0) raise(`parameter ${i} has an invalid type '${typeName(v)}' ; expected: '${expectedTypes(m)}'`);
    }
    return fn(self, args);
  };
  const n = new SqNative(name, checked, nparams, calls);
  n.typemask = masks;
  return n;
}

/** What C sees of a byte string: up to its first NUL (strtok, strstr…). */
export function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/** A table of natives, as the default delegates and library tables are. */
export function nativeTable(entries: SqNative[], extra: [string, SqValue][] = []): SqTable {
  const t = new SqTable();
  for (const n of entries) t.newSlot(n.name, n);
  for (const [k, v] of extra) t.newSlot(k, v);
  return t;
}
