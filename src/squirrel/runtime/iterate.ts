import { SqTable } from "../table.js";
import { SqClass, SqGenerator, SqInstance } from "../values.js";
import type { SqCallResult, SqValue } from "../values.js";
import { raise } from "./errors.js";
import { real, tryGet } from "./access.js";
import { callMeta, metamethod } from "./meta.js";
import { resume } from "./calls.js";
import { typeName } from "./types.js";

/** One foreach loop's position. `next()` steps everything but generators, which need `resume()` (they may block). */
export class Iter {
  key: SqValue = null;
  value: SqValue = null;
  private i = -1;
  private cursor: SqValue = null;
  constructor(
    private readonly o: SqValue,
    readonly gen: SqGenerator | null,
  ) {}

  next(): boolean {
    const o = this.o;
    if (Array.isArray(o)) {
      if (++this.i >= o.length) return false;
      this.key = this.i;
      this.value = real(o[this.i]!);
      return true;
    }
    if (typeof o === "string") {
      if (++this.i >= o.length) return false;
      this.key = this.i;
      this.value = o.charCodeAt(this.i);
      return true;
    }
    if (o instanceof SqTable || o instanceof SqClass) {
      const t = o instanceof SqTable ? o : o.members;
      const n = t.nextIndex(this.i + 1);
      if (n < 0) return false;
      this.i = n;
      this.key = t.keyAt(n);
      this.value = real(t.valueAt(n));
      return true;
    }
    // An instance with _nexti: it is given the previous key and returns the next, or null at the end.
    const mm = metamethod(o, "_nexti");
    const next = callMeta(mm, o, [this.cursor]);
    if (next === null) return false;
    this.cursor = next;
    this.key = next;
    const v = tryGet(o, next);
    if (v === undefined) raise("_nexti returned an invalid idx");
    this.value = v;
    return true;
  }

  /** A generator: each resume gives the next value; the resume in which it returns ends the loop (its return value is not iterated). */
  *resume(): SqCallResult {
    const g = this.gen!;
    if (g.state === "dead") return false;
    const v = yield* resume(g);
    if ((g.state as SqGenerator["state"]) === "dead") return false; // resume changed it
    this.value = v;
    this.key = ++this.i;
    return true;
  }
}

export function iter(o: SqValue): Iter {
  if (o instanceof SqGenerator) return new Iter(o, o);
  if (Array.isArray(o) || typeof o === "string" || o instanceof SqTable || o instanceof SqClass) return new Iter(o, null);
  if (o instanceof SqInstance) {
    if (metamethod(o, "_nexti") === null) raise("_nexti failed");
    return new Iter(o, null);
  }
  return raise(`cannot iterate ${typeName(o)}`);
}
