import { SqTable } from "../table.js";
import { SqClass, SqClosure, SqFloat, SqGenerator, SqInstance, SqNative, SqUserData, SqWeakRef } from "../values.js";
import type { SqValue } from "../values.js";
import { ctx } from "./context.js";
import { raise } from "./errors.js";
import { callMeta, metamethod } from "./meta.js";
import { add, printObj, toInteger } from "./ops.js";
import { arith } from "./arith.js";
import { isNumber, typeName } from "./types.js";

/**
 * Reading, writing, creating and deleting slots with Squirrel's lookup rules:
 * own slots, then the delegate (and its _get/_set), then the type's default
 * delegate; a bare name falls back to the root table.
 */

export function indexError(key: SqValue): never {
  return raise(`the index '${printObj(key).slice(0, 50)}' does not exist`);
}

/** A `_get`/`_set` that throws null means "not found" (Squirrel's clean failure). */
const NOT_FOUND = Symbol("not found");

function metaGet(o: SqValue, key: SqValue): SqValue | typeof NOT_FOUND {
  const mm = metamethod(o, "_get");
  if (mm === null) return NOT_FOUND;
  try {
    return callMeta(mm, o, [key]);
  } catch (e) {
    if (e instanceof Error && "value" in e && (e as { value: unknown }).value === null) return NOT_FOUND;
    throw e;
  }
}

/**
 * A value read out of a container: a weak reference stored in a table, an
 * array or an instance reads as the object it refers to (Squirrel's _realval).
 * impnet's weak references never die: nothing is freed while it is reachable.
 */
export function real(v: SqValue): SqValue {
  return weakRefsMade && v instanceof SqWeakRef ? v.target : v;
}

/**
 * Whether any weak reference has been made in this process (the `weakref`
 * method says so): until then no container can hold one, and reads skip the
 * check, which is most of a slot read's cost on the hot paths.
 */
let weakRefsMade = false;

export function noteWeakRef(): void {
  weakRefsMade = true;
}

/** A table's own slot (its weak reference resolved); a null key is never there (SqTable takes no null keys). */
export function rawTableGet(t: SqTable, key: SqValue): SqValue | undefined {
  if (key === null) return undefined;
  const v = t.get(key);
  return weakRefsMade && v instanceof SqWeakRef ? v.target : v;
}

function defaultDelegate(type: string, key: SqValue): SqValue | undefined {
  const d = ctx.delegates.get(type);
  return d === undefined ? undefined : rawTableGet(d, key);
}

/** The value of o[key], or undefined when there is none (no error). */
export function tryGet(o: SqValue, key: SqValue): SqValue | undefined {
  if (o instanceof SqTable) {
    const v = rawTableGet(o, key);
    if (v !== undefined) return v;
    const d = o.delegate;
    if (d !== null) {
      const dv = tryGet(d, key);
      if (dv !== undefined) return dv;
      const m = metaGet(o, key);
      if (m !== NOT_FOUND) return m;
      return undefined;
    }
    return defaultDelegate("table", key);
  }
  if (Array.isArray(o)) {
    if (isNumber(key)) {
      const i = toInteger(key);
      if (i >= 0 && i < o.length) return real(o[i]!);
      return indexError(key);
    }
    return defaultDelegate("array", key);
  }
  if (typeof o === "string") {
    if (isNumber(key)) {
      const i = toInteger(key);
      if (i >= 0 && i < o.length) return o.charCodeAt(i);
      return indexError(key);
    }
    return defaultDelegate("string", key);
  }
  if (o instanceof SqInstance) {
    const f = o.fields.get(key);
    if (f !== undefined) return real(f);
    const m = rawTableGet(o.cls.members, key);
    if (m !== undefined) return m;
    const mg = metaGet(o, key);
    if (mg !== NOT_FOUND) return mg;
    return defaultDelegate("instance", key);
  }
  if (o instanceof SqClass) return rawTableGet(o.members, key) ?? defaultDelegate("class", key);
  if (typeof o === "number" || typeof o === "boolean" || o instanceof SqFloat) return defaultDelegate("number", key);
  if (o instanceof SqClosure || o instanceof SqNative) return defaultDelegate("function", key);
  if (o instanceof SqGenerator) return defaultDelegate("generator", key);
  if (o instanceof SqWeakRef) return defaultDelegate("weakref", key);
  if (o instanceof SqUserData && o.value instanceof SqTable) return tryGet(o.value, key);
  return undefined;
}

export function get(o: SqValue, key: SqValue): SqValue {
  const v = tryGet(o, key);
  if (v === undefined) return indexError(key);
  return v;
}

/** A name that is not a local: `this`, then the root table. */
export function getName(self: SqValue, name: string): SqValue {
  const v = tryGet(self, name);
  if (v !== undefined) return v;
  const r = rawTableGet(ctx.root, name);
  if (r !== undefined) return r;
  return indexError(name);
}

function trySet(o: SqValue, key: SqValue, v: SqValue): boolean {
  if (o instanceof SqTable) {
    if (key !== null && o.set(key, v)) return true;
    const d = o.delegate;
    if (d !== null) {
      if (trySet(d, key, v)) return true;
      return metaSet(o, key, v);
    }
    return false;
  }
  if (o instanceof SqInstance) {
    if (o.fields.has(key)) {
      o.fields.set(key, v);
      return true;
    }
    return metaSet(o, key, v);
  }
  if (Array.isArray(o)) {
    if (!isNumber(key)) raise(`indexing array with ${typeName(key)}`);
    const i = toInteger(key);
    if (i < 0 || i >= o.length) indexError(key);
    o[i] = v;
    return true;
  }
  if (o instanceof SqUserData && o.value instanceof SqTable) return trySet(o.value, key, v);
  return raise(`trying to set '${typeName(o)}'`);
}

function metaSet(o: SqValue, key: SqValue, v: SqValue): boolean {
  const mm = metamethod(o, "_set");
  if (mm === null) return false;
  try {
    callMeta(mm, o, [key, v]);
    return true;
  } catch (e) {
    if (e instanceof Error && "value" in e && (e as { value: unknown }).value === null) return false;
    throw e;
  }
}

export function set(o: SqValue, key: SqValue, v: SqValue): SqValue {
  if (!trySet(o, key, v)) indexError(key);
  return v;
}

/** `name = v` for a name that is not a local: an existing slot of `this`, else of the root table; never creates one. */
export function setName(self: SqValue, name: string, v: SqValue): SqValue {
  if (self !== null && typeof self === "object" && !(self instanceof SqFloat) && trySet(self, name, v)) return v;
  if (ctx.root.set(name, v)) return v;
  return indexError(name);
}

export function newslot(o: SqValue, key: SqValue, v: SqValue): SqValue {
  if (key === null) raise("null cannot be used as index");
  if (o instanceof SqTable) {
    if (!o.has(key)) {
      const mm = metamethod(o, "_newslot");
      if (mm !== null) {
        callMeta(mm, o, [key, v]);
        return v;
      }
    }
    o.newSlot(key, v);
    return v;
  }
  if (o instanceof SqClass) {
    classNewSlot(o, key, v, false);
    return v;
  }
  if (o instanceof SqInstance) {
    const mm = metamethod(o, "_newslot");
    if (mm !== null) {
      callMeta(mm, o, [key, v]);
      return v;
    }
    return raise("class instances do not support the new slot operator");
  }
  if (o instanceof SqUserData && o.value instanceof SqTable) return newslot(o.value, key, v);
  return raise(`indexing ${typeName(o)} with ${typeName(key)}`);
}

/** The names Squirrel keeps as a class's metamethods rather than as members. */
export const METAMETHOD_NAMES: ReadonlySet<string> = new Set([
  "_add", "_sub", "_mul", "_div", "_unm", "_modulo", "_set", "_get", "_typeof", "_nexti", "_cmp", "_call",
  "_cloned", "_newslot", "_delslot", "_tostring", "_newmember", "_inherited",
]);

/**
 * A member added to a class (SQClass::NewSlot): a function or a static goes
 * with the methods (a function named like a metamethod becomes one), anything
 * else is a field whose value is the instances' default. A field keeps being a
 * field when a new value replaces its default. Once the class has an instance,
 * only methods and statics can be added.
 */
export function classNewSlot(cls: SqClass, key: SqValue, v: SqValue, isStatic: boolean): void {
  if (key === null) raise("null cannot be used as index");
  if (!tryClassNewSlot(cls, key, v, isStatic)) raise("trying to modify a class that has already been instantiated");
}

/** classNewSlot without the error: false when the class, already instantiated, cannot take the member (rawset ignores that). */
export function tryClassNewSlot(cls: SqClass, key: SqValue, v: SqValue, isStatic: boolean): boolean {
  const isFunction = v instanceof SqClosure || v instanceof SqNative;
  const isMethod = isFunction || isStatic;
  if (cls.locked && !isMethod) return false;
  if (cls.fieldNames.has(key)) cls.members.newSlot(key, v);
  else if (isFunction && typeof key === "string" && METAMETHOD_NAMES.has(key)) cls.metamethods.set(key, v);
  else if (v instanceof SqClosure && cls.base !== null) {
    // A class with a base stores a copy of the function that knows its base (SqClosure.base).
    const method = new SqClosure(v.info, v.body, v.defaults);
    method.env = v.env;
    method.base = cls.base;
    cls.members.newSlot(key, method);
  } else {
    cls.members.newSlot(key, v);
    if (!isMethod) cls.fieldNames.add(key);
  }
  return true;
}

/** SQClass::SetAttributes: a member's attributes; a metamethod (not a member) keeps none. */
export function setMemberAttributes(cls: SqClass, key: SqValue, attrs: SqValue): boolean {
  if (key === null || !cls.members.has(key)) return false;
  cls.memberAttributes.set(key, attrs);
  return true;
}

export function del(o: SqValue, key: SqValue): SqValue {
  if (o instanceof SqTable) {
    const mm = metamethod(o, "_delslot");
    if (mm !== null) return callMeta(mm, o, [key]);
    const old = key === null ? undefined : o.delete(key);
    if (old === undefined) return indexError(key);
    return old;
  }
  if (o instanceof SqInstance) {
    const mm = metamethod(o, "_delslot");
    if (mm !== null) return callMeta(mm, o, [key]);
    return raise(`cannot delete a slot from ${typeName(o)}`);
  }
  return raise(`attempt to delete a slot from a ${typeName(o)}`);
}

export function compound(o: SqValue, key: SqValue, op: string, v: SqValue): SqValue {
  return set(o, key, arith(op, get(o, key), v));
}

export function compoundName(self: SqValue, name: string, op: string, v: SqValue): SqValue {
  return setName(self, name, arith(op, getName(self, name), v));
}

export function incMember(o: SqValue, key: SqValue, delta: number, post: boolean): SqValue {
  const old = get(o, key);
  const next = add(old, delta);
  set(o, key, next);
  return post ? old : next;
}

export function incName(self: SqValue, name: string, delta: number, post: boolean): SqValue {
  const old = getName(self, name);
  const next = add(old, delta);
  setName(self, name, next);
  return post ? old : next;
}

/** `key in o`: o's own slots only (no delegates), as the raw get of Squirrel's _OP_EXISTS. */
export function has(key: SqValue, o: SqValue): boolean {
  if (key === null) return false;
  if (o instanceof SqTable) return o.has(key);
  if (Array.isArray(o) || typeof o === "string") {
    if (!isNumber(key)) return false;
    const i = toInteger(key);
    return i >= 0 && i < o.length;
  }
  if (o instanceof SqInstance) return o.fields.has(key) || o.cls.members.has(key);
  if (o instanceof SqClass) return o.members.has(key);
  if (o instanceof SqUserData && o.value instanceof SqTable) return o.value.has(key);
  return false;
}

export function instOf(a: SqValue, b: SqValue): boolean {
  // The reference names the right operand first.
  if (!(b instanceof SqClass)) return raise(`cannot apply instanceof between a ${typeName(b)} and a ${typeName(a)}`);
  if (!(a instanceof SqInstance)) return false;
  for (let c: SqClass | null = a.cls; c !== null; c = c.base) if (c === b) return true;
  return false;
}

export function typeOf(v: SqValue): SqValue {
  if (v instanceof SqTable || v instanceof SqInstance) {
    const mm = metamethod(v, "_typeof");
    if (mm !== null) return callMeta(mm, v, []);
  }
  return typeName(v);
}

export function cloneOf(v: SqValue): SqValue {
  if (v instanceof SqTable) {
    const c = v.clone();
    c.delegate = v.delegate;
    const mm = metamethod(c, "_cloned");
    if (mm !== null) callMeta(mm, c, [v]);
    return c;
  }
  if (v instanceof SqInstance) {
    const c = new SqInstance(v.cls);
    for (const [k, f] of v.fields) c.fields.set(k, f);
    c.native = cloneNative(v.native);
    const mm = metamethod(c, "_cloned");
    if (mm !== null) callMeta(mm, c, [v]);
    return c;
  }
  if (Array.isArray(v)) return v.slice();
  // Only tables, instances and arrays clone: even numbers and strings are "cloning a integer".
  return raise(`cloning a ${typeName(v)}`);
}

function cloneNative(n: unknown): unknown {
  if (n !== null && typeof n === "object" && "clone" in n && typeof n.clone === "function") return (n.clone as () => unknown).call(n);
  return n;
}

/** A table literal: a table sized for its slots, filled in order. */
export function table(size: number, kv: SqValue[]): SqTable {
  const t = new SqTable(size);
  for (let i = 0; i < kv.length; i += 2) {
    const k = kv[i]!;
    if (k === null) raise("null cannot be used as index");
    t.newSlot(k, kv[i + 1]!);
  }
  return t;
}

export function root(): SqTable {
  return ctx.root;
}
