import { stringToFloat, stringToInteger } from "../format.js";
import { SqTable } from "../table.js";
import { SqClass, SqClosure, SqFloat, SqInstance, SqNative, SqWeakRef, truthy } from "../values.js";
import type { SqCallResult, SqValue, Yielded , SqGenerator} from "../values.js";
import { classNewSlot, has, tryClassNewSlot, indexError, noteWeakRef, rawTableGet, real, setMemberAttributes } from "../runtime/access.js";
import { call, lockClass } from "../runtime/calls.js";
import { ctx } from "../runtime/context.js";
import { raise, checkAllocation } from "../runtime/errors.js";
import { compare, eq, toInteger, toStr } from "../runtime/ops.js";
import { num } from "../runtime/types.js";
import { cString, native, nativeTable } from "./native.js";

/** The methods every value of a type has (S4's default delegates), by Squirrel 3.0.4's tables. */

const tostring = native("tostring", 1, ".", (self) => toStr(self));
/** Reference-counted values (strings and objects) get a weak reference; null, numbers and bools are their own. */
const weakref = native("weakref", 1, null, (self) => {
  if (typeof self !== "string" && (self === null || typeof self !== "object" || self instanceof SqFloat)) return self;
  noteWeakRef();
  return new SqWeakRef(self);
});

function lenOf(v: SqValue): number {
  if (typeof v === "string" || Array.isArray(v)) return v.length;
  if (v instanceof SqTable) return v.size;
  return 0;
}

const len = (mask: string) => native("len", 1, mask, (self) => lenOf(self));

function sliceRange(len: number, args: SqValue[]): [number, number] {
  let s = args.length > 0 ? toInteger(args[0] as number) : 0;
  let e = args.length > 1 ? toInteger(args[1] as number) : len;
  if (s < 0) s = len + s;
  if (e < 0) e = len + e;
  if (e < s) raise("wrong indexes");
  if (e > len || s < 0) raise("slice out of range");
  return [s, e];
}

/** sq_rawget: a table's, class's or instance's own slot (no delegate, no metamethod). */
function rawGetOf(self: SqValue, key: SqValue): SqValue {
  let v: SqValue | undefined;
  if (self instanceof SqTable) v = rawTableGet(self, key);
  else if (self instanceof SqClass) v = rawTableGet(self.members, key);
  else if (self instanceof SqInstance) {
    const f = key === null ? undefined : self.fields.get(key);
    v = f !== undefined ? real(f) : rawTableGet(self.cls.members, key);
  }
  if (v === undefined) return raise("the index doesn't exist");
  return v;
}

/** sq_rawset: a table gets a new slot, a class a new member; an instance can only change a field. Returns nothing (null). */
function rawSetOf(self: SqValue, key: SqValue, v: SqValue): SqValue {
  if (key === null) raise("null key");
  if (self instanceof SqTable) self.newSlot(key, v);
  else if (self instanceof SqClass) tryClassNewSlot(self, key, v, false);
  else if (self instanceof SqInstance) {
    if (!self.fields.has(key)) indexError(key);
    self.fields.set(key, v);
  }
  return null;
}

const rawget = (mask: string) => native("rawget", 2, mask, (self, [k]) => rawGetOf(self, k!));
const rawset = (mask: string) => native("rawset", 3, mask, (self, [k, v]) => rawSetOf(self, k!, v!));
const rawin = (mask: string) => native("rawin", 2, mask, (self, [k]) => has(k!, self));

function numberDelegate(): SqTable {
  return nativeTable([
    native("tointeger", 1, "n|b", (self) => (typeof self === "boolean" ? (self ? 1 : 0) : toInteger(self as number | SqFloat))),
    native("tofloat", 1, "n|b", (self) => new SqFloat(typeof self === "boolean" ? (self ? 1 : 0) : num(self as number | SqFloat))),
    tostring,
    native("tochar", 1, "n|b", (self) => String.fromCharCode((typeof self === "boolean" ? (self ? 1 : 0) : toInteger(self as number | SqFloat)) & 0xff)),
    weakref,
  ]);
}

function stringDelegate(): SqTable {
  return nativeTable([
    len("s"),
    native("tointeger", 1, "s", (self) => stringToInteger(self as string)),
    native("tofloat", 1, "s", (self) => new SqFloat(stringToFloat(self as string))),
    tostring,
    native("slice", -1, "s n n", (self, args) => {
      const s = self as string;
      const [a, b] = sliceRange(s.length, args);
      return s.slice(a, b);
    }),
    // C's strstr from `start`: a start outside the string finds nothing, and both strings end at a NUL byte.
    native("find", -2, "s s n", (self, args) => {
      const s = self as string;
      const start = args.length > 1 ? toInteger(args[1] as number) : 0;
      if (!(start >= 0 && start < s.length)) return null;
      const i = cString(s.slice(start)).indexOf(cString(args[0] as string));
      return i < 0 ? null : start + i;
    }),
    native("tolower", 1, "s", (self) => (self as string).replace(/[A-Z]/g, (c) => c.toLowerCase())),
    native("toupper", 1, "s", (self) => (self as string).replace(/[a-z]/g, (c) => c.toUpperCase())),
    weakref,
  ]);
}

function tableDelegate(): SqTable {
  return nativeTable([
    len("t"),
    rawget("t"),
    rawset("t"),
    native("rawdelete", 2, "t", (self, [k]) => (k === null ? null : (self as SqTable).delete(k!)) ?? null),
    rawin("t"),
    weakref,
    tostring,
    native("clear", 1, ".", (self) => {
      (self as SqTable).clear();
      return null;
    }),
    native("setdelegate", 2, ".t|o", (self, [d]) => {
      const t = self as SqTable;
      for (let p = d as SqTable | null; p !== null; p = p.delegate) if (p === t) raise("delagate cycle");
      t.delegate = d as SqTable | null;
      return self;
    }),
    native("getdelegate", 1, ".", (self) => (self as SqTable).delegate),
  ]);
}

function* mapArray(src: SqValue[], fn: SqValue, dest: SqValue[]): SqCallResult {
  for (let n = 0; n < src.length; n++) dest[n] = yield* call(fn, src, [src[n]!]);
  return dest;
}

/** Squirrel's heapsort (its order of equal elements is observable), with an optional compare function. */
function* sortArray(a: SqValue[], fn: SqValue | undefined): SqCallResult {
  const cmp = function* (x: SqValue, y: SqValue): Generator<Yielded, number, SqValue> {
    if (fn === undefined) return compare(x, y);
    const r = yield* call(fn, ctx.root, [x, y]);
    if (typeof r !== "number" && !(r instanceof SqFloat)) raise("numeric value expected as return value of the compare function");
    return toInteger(r);
  };
  const siftDown = function* (root: number, bottom: number): Generator<Yielded, void, SqValue> {
    for (;;) {
      const child = root * 2;
      if (child > bottom) return;
      let max = child;
      if (child !== bottom && (yield* cmp(a[child]!, a[child + 1]!)) <= 0) max = child + 1;
      if ((yield* cmp(a[root]!, a[max]!)) >= 0) return;
      if (root === max) raise("inconsistent compare function");
      [a[root], a[max]] = [a[max]!, a[root]!];
      root = max;
    }
  };
  if (a.length > 1) {
    for (let i = a.length >> 1; i >= 0; i--) yield* siftDown(i, a.length - 1);
    for (let i = a.length - 1; i >= 1; i--) {
      [a[0], a[i]] = [a[i]!, a[0]!];
      yield* siftDown(0, i - 1);
    }
  }
  return null;
}

function arrayDelegate(): SqTable {
  const arr = (v: SqValue) => v as SqValue[];
  return nativeTable([
    len("a"),
    native("append", 2, "a", (self, [v]) => {
      arr(self).push(v!);
      return null;
    }),
    native("extend", 2, "aa", (self, [o]) => {
      const a = arr(self);
      for (const v of arr(o!)) a.push(v);
      return null;
    }),
    native("push", 2, "a", (self, [v]) => {
      arr(self).push(v!);
      return null;
    }),
    native("pop", 1, "a", (self) => {
      const a = arr(self);
      if (a.length === 0) raise("empty array");
      return a.pop()!;
    }),
    native("top", 1, "a", (self) => {
      const a = arr(self);
      if (a.length === 0) raise("top() on a empty array");
      return a[a.length - 1]!;
    }),
    native("insert", 3, "an", (self, [i, v]) => {
      const a = arr(self);
      const idx = toInteger(i as number);
      if (idx < 0 || idx > a.length) raise("index out of range");
      a.splice(idx, 0, v!);
      return null;
    }),
    native("remove", 2, "an", (self, [i]) => {
      const a = arr(self);
      const idx = toInteger(i as number);
      if (idx < 0 || idx >= a.length) raise("idx out of range");
      return a.splice(idx, 1)[0]!;
    }),
    native("resize", -2, "an", (self, [n, fill]) => {
      const a = arr(self);
      const size = toInteger(n as number);
      if (size < 0) raise("negative size");
      checkAllocation(size, "an array");
      const old = a.length;
      a.length = size;
      for (let i = old; i < size; i++) a[i] = fill ?? null;
      return null;
    }),
    native("reverse", 1, "a", (self) => {
      arr(self).reverse();
      return null;
    }),
    native("sort", -1, "ac", (self, [fn]) => sortArray(arr(self), fn), true),
    native("slice", -1, "ann", (self, args) => {
      const a = arr(self);
      const [s, e] = sliceRange(a.length, args);
      return a.slice(s, e);
    }),
    weakref,
    tostring,
    native("clear", 1, ".", (self) => {
      arr(self).length = 0;
      return null;
    }),
    native("map", 2, "ac", (self, [fn]) => mapArray(arr(self), fn!, new Array<SqValue>(arr(self).length)), true),
    native("apply", 2, "ac", function* (self, [fn]) {
      yield* mapArray(arr(self), fn!, arr(self));
      return null;
    }, true),
    native("reduce", 2, "ac", function* (self, [fn]) {
      const a = arr(self);
      if (a.length === 0) return null;
      let acc: SqValue = a[0]!;
      for (let n = 1; n < a.length; n++) acc = yield* call(fn!, a, [acc, a[n]!]);
      return acc;
    }, true),
    native("filter", 2, "ac", function* (self, [fn]) {
      const a = arr(self);
      const out: SqValue[] = [];
      for (let n = 0; n < a.length; n++) if (truthy(yield* call(fn!, a, [n, a[n]!]))) out.push(a[n]!);
      return out;
    }, true),
    native("find", 2, "a.", (self, [v]) => {
      const a = arr(self);
      for (let n = 0; n < a.length; n++) if (eq(a[n]!, v!)) return n;
      return null;
    }),
  ]);
}

function bound(f: SqValue, env: SqValue): SqValue {
  if (f instanceof SqClosure) {
    const c = new SqClosure(f.info, f.body, f.defaults);
    c.env = env;
    c.base = f.base; // sq_bindenv keeps the method's base
    return c;
  }
  const n = f as SqNative;
  const c = new SqNative(n.name, n.fn, n.nparams, n.calls);
  c.env = env;
  c.typemask = n.typemask;
  return c;
}

function functionDelegate(): SqTable {
  const callWith = (name: string) =>
    native(name, -2, "c", function* (self, args) {
      return yield* call(self, args[0]!, args.slice(1));
    }, true);
  const acallWith = (name: string) =>
    native(name, 2, "ca", function* (self, [a]) {
      const list = a as SqValue[];
      if (list.length === 0) raise("wrong number of parameters");
      return yield* call(self, list[0]!, list.slice(1));
    }, true);
  return nativeTable([
    callWith("call"),
    callWith("pcall"),
    acallWith("acall"),
    acallWith("pacall"),
    weakref,
    tostring,
    native("bindenv", 2, "c x|y|t", (self, [env]) => bound(self, env!)),
    native("getinfos", 1, "c", (self) => {
      const t = new SqTable();
      if (self instanceof SqClosure) {
        const i = self.info;
        t.newSlot("native", false);
        t.newSlot("name", i.name === "" ? null : i.name);
        t.newSlot("src", i.file);
        t.newSlot("parameters", ["this", ...i.params, ...(i.varargs ? ["vargv", "..."] : [])]);
        t.newSlot("varargs", i.varargs ? 1 : 0);
        t.newSlot("defparams", self.defaults.slice());
      } else {
        const n = self as SqNative;
        t.newSlot("native", true);
        t.newSlot("name", n.name);
        t.newSlot("paramscheck", n.nparams);
        t.newSlot("typecheck", n.typemask === null ? null : n.typemask.slice());
      }
      return t;
    }),
  ]);
}

function classDelegate(): SqTable {
  const cls = (v: SqValue) => v as SqClass;
  return nativeTable([
    native("getattributes", 2, "y.", (self, [m]) => {
      const c = cls(self);
      if (m === null) return c.attributes;
      if (!c.members.has(m!)) raise("wrong index");
      return c.memberAttributes.get(m!) ?? null;
    }),
    native("setattributes", 3, "y..", (self, [m, v]) => {
      const c = cls(self);
      if (m === null) {
        const old = c.attributes;
        c.attributes = v!;
        return old;
      }
      if (!c.members.has(m!)) raise("wrong index");
      const old = c.memberAttributes.get(m!) ?? null;
      setMemberAttributes(c, m!, v!);
      return old;
    }),
    rawget("y"),
    rawset("y"),
    rawin("y"),
    weakref,
    tostring,
    native("instance", 1, "y", (self) => {
      const inst = new SqInstance(cls(self));
      lockClass(cls(self)); // CreateInstance locks the class, as calling it does
      for (const name of cls(self).fieldNames) inst.fields.set(name, cls(self).members.get(name) ?? null);
      return inst;
    }),
    native("getbase", 1, "y", (self) => cls(self).base),
    // newmember(key, value, attrs = null, static = false) goes through the class's _newmember; rawnewmember does not (both 3.0.3).
    native("newmember", -3, "y", (self, args) => newMember(cls(self), args, false), true),
    native("rawnewmember", -3, "y", (self, args) => newMember(cls(self), args, true), true),
  ]);
}

function* newMember(c: SqClass, [k, v, attrs, isStatic]: SqValue[], raw: boolean): SqCallResult {
  if (k === null) raise("null key");
  const flag = isStatic !== undefined && truthy(isStatic);
  const mm = raw ? undefined : c.metamethods.get("_newmember");
  if (mm !== undefined) yield* call(mm, c, [k!, v!, attrs ?? null, flag]);
  else {
    classNewSlot(c, k!, v!, flag);
    if (attrs !== undefined && attrs !== null) setMemberAttributes(c, k!, attrs);
  }
  return null;
}

function instanceDelegate(): SqTable {
  return nativeTable([native("getclass", 1, "x", (self) => (self as SqInstance).cls), rawget("x"), rawset("x"), rawin("x"), weakref, tostring]);
}

function generatorDelegate(): SqTable {
  return nativeTable([native("getstatus", 1, "g", (self) => (self as SqGenerator).state), weakref, tostring]);
}

function weakrefDelegate(): SqTable {
  return nativeTable([native("ref", 1, "r", (self) => (self as SqWeakRef).target), weakref, tostring]);
}

/** Built once per process: delegates hold only natives, which keep no VM state. */
export function defaultDelegates(): Map<string, SqTable> {
  return new Map([
    ["number", numberDelegate()],
    ["string", stringDelegate()],
    ["table", tableDelegate()],
    ["array", arrayDelegate()],
    ["function", functionDelegate()],
    ["class", classDelegate()],
    ["instance", instanceDelegate()],
    ["generator", generatorDelegate()],
    ["weakref", weakrefDelegate()],
  ]);
}

