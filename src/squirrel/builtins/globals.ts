import { blobClass } from "./blob-class.js";
import { regexpClass } from "./regexp-class.js";
import { formatPrintf } from "../format.js";
import type { SqTable } from "../table.js";
import { SqFloat } from "../values.js";
import type { SqValue } from "../values.js";
import { ctx } from "../runtime/context.js";
import { raise, checkAllocation } from "../runtime/errors.js";
import { CALLEE } from "../runtime/calls.js";
import { toInteger } from "../runtime/ops.js";
import { num, typeName } from "../runtime/types.js";
import { cString, native, nativeTable } from "./native.js";

const SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

/**
 * split as the imp's (3.0.4's) does, with C's strtok: any run of separator
 * bytes splits, empty tokens are dropped, and both strings end at a NUL byte.
 */
export function split(str: string, separators: string): string[] {
  if (separators.length === 0) raise("empty separators string");
  const s = cString(str);
  const seps = cString(separators);
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || seps.includes(s[i]!)) {
      if (i > start) out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  return out;
}

function mathTable(random: () => number): SqTable {
  const f = (name: string, op: (x: number) => number) => native(name, 2, ".n", (_s, [x]) => new SqFloat(op(num(x as number | SqFloat))));
  return nativeTable(
    [
      native("abs", 2, ".n", (_s, [x]) => Math.abs(toInteger(x as number | SqFloat)) | 0),
      f("fabs", Math.abs),
      f("floor", Math.floor),
      f("ceil", Math.ceil),
      f("sqrt", Math.sqrt),
      f("sin", Math.sin),
      f("cos", Math.cos),
      f("tan", Math.tan),
      f("asin", Math.asin),
      f("acos", Math.acos),
      f("atan", Math.atan),
      f("log", Math.log),
      f("log10", Math.log10),
      f("exp", Math.exp),
      native("atan2", 3, ".nn", (_s, [y, x]) => new SqFloat(Math.atan2(num(y as number), num(x as number)))),
      native("pow", 3, ".nn", (_s, [x, y]) => new SqFloat(Math.pow(num(x as number), num(y as number)))),
      native("rand", 1, null, () => Math.floor(random() * 2 ** 31)),
      native("srand", 2, ".n", () => null),
    ],
    [
      ["PI", new SqFloat(Math.PI)],
      ["RAND_MAX", 2147483647],
    ],
  );
}

export interface GlobalsOptions {
  /** The device's seeded randomness (math.rand). */
  random: () => number;
}

/** The language's global functions (S4), added to a VM's root table. */
export function addGlobals(root: SqTable, options: GlobalsOptions): void {
  const entries = [
    native("array", -2, ".n", (_s, [n, fill]) => {
      const size = toInteger(n as number);
      if (size < 0) raise("negative size");
      checkAllocation(size, "an array");
      return new Array<SqValue>(size).fill(fill ?? null);
    }),
    native("type", 2, null, (_s, [v]) => typeName(v!)),
    native("getroottable", 1, null, () => ctx.root),
    native("getconsttable", 1, null, () => ctx.consts),
    native("assert", 2, null, (_s, [c]) => {
      if (c === null || c === false || c === 0 || (c instanceof SqFloat && c.v === 0)) raise("assertion failed");
      return null;
    }),
    native("collectgarbage", 1, null, () => 0),
    CALLEE,
    native("format", -2, ".s", (_s, args) => formatPrintf(args[0] as string, args.slice(1))),
    native("split", 3, ".ss", (_s, [s, seps]) => split(s as string, seps as string)),
    native("strip", 2, ".s", (_s, [s]) => (s as string).replace(SPACE, "")),
    native("lstrip", 2, ".s", (_s, [s]) => (s as string).replace(/^[ \t\n\v\f\r]+/, "")),
    native("rstrip", 2, ".s", (_s, [s]) => (s as string).replace(/[ \t\n\v\f\r]+$/, "")),
    native("newthread", -1, null, () => raise("newthread: Squirrel threads are not available on the imp")),
    native("suspend", -1, null, () => raise("suspend: Squirrel threads are not available on the imp")),
  ];
  for (const n of entries) root.newSlot(n.name, n);
  const math = mathTable(options.random);
  root.newSlot("math", math);
  // Imp code (Promise's own tests among it) also reads these two bare, from the root table.
  root.newSlot("RAND_MAX", math.get("RAND_MAX")!);
  root.newSlot("PI", math.get("PI")!);
  root.newSlot("blob", blobClass);
  root.newSlot("regexp", regexpClass);
}
