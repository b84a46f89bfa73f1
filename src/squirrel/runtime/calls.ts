import { SqTable } from "../table.js";
import { Block, GenYield, SqClass, SqClosure, SqError, SqGenerator, SqInstance, SqNative } from "../values.js";
import type { FunctionInfo, SqCallResult, SqValue } from "../values.js";
import { ctx } from "./context.js";
import type { VmContext } from "./context.js";
import { raise, RunawayError, uncatchable } from "./errors.js";
import { get } from "./access.js";
import { callMeta, metamethod } from "./meta.js";
import { typeName } from "./types.js";

/** Loop iterations and calls a turn may make before it is a runaway (S7). */
export const TURN_BUDGET = 50_000_000;

export function tick(): void {
  if (--ctx.budget < 0) throw new RunawayError(TURN_BUDGET);
}

/** tick() for work a library does that may also run outside any VM (the regexp engine in its own tests). */
export function tickIfRunning(): void {
  if ((ctx as VmContext | null) !== null) tick();
}

/** Fills in defaults and vargv's place; throws Squirrel's error when the count cannot fit. */
function prepareArgs(f: SqClosure, args: SqValue[]): void {
  const info = f.info;
  const n = info.params.length;
  if (args.length === n) return;
  if (info.varargs) {
    if (args.length < n) raise("wrong number of parameters");
    return;
  }
  const missing = n - args.length;
  if (missing > 0 && missing <= info.ndefaults) {
    for (let i = info.ndefaults - missing; i < info.ndefaults; i++) args.push(f.defaults[i]!);
    return;
  }
  raise("wrong number of parameters");
}

/**
 * Calls any callable with `self` as its `this` (a closure's bound env wins).
 * A generator function returns its generator unstarted; a class constructs.
 */
export function* call(f: SqValue, self: SqValue, args: SqValue[]): SqCallResult {
  if (--ctx.budget < 0) throw new RunawayError(TURN_BUDGET);
  if (f instanceof SqClosure) {
    prepareArgs(f, args);
    const it = f.body(f.env === undefined ? self : f.env, args, f);
    if (f.info.generator) return new SqGenerator(it);
    return yield* it;
  }
  if (f instanceof SqNative) {
    if (f.nparams > 0 ? args.length + 1 !== f.nparams : f.nparams < 0 && args.length + 1 < -f.nparams) raise("wrong number of parameters");
    const r = f.fn(f.env === undefined ? self : f.env, args);
    if (f.calls) return yield* (r as SqCallResult);
    if (r instanceof Block) return yield r;
    return r as SqValue;
  }
  if (f instanceof SqClass) return yield* construct(f, args);
  if (f instanceof SqInstance || f instanceof SqTable) {
    const mm = metamethod(f, "_call");
    if (mm !== null) return yield* call(mm, f, [self, ...args]);
  }
  return raise(`attempt to call '${typeName(f)}'`);
}

/**
 * What compiled code calls instead of `yield* call(…)`: a native's result
 * comes back directly (most host calls never make a generator), and a
 * closure's body generator is handed back through `take()` to be delegated
 * to with `yield*`, one generator per Squirrel call instead of two. A call
 * site reads `(($r = invoke(f, self, args)) === PENDING ? (yield* take()) : $r)`.
 */
export const PENDING = Symbol("pending");
let pending: SqCallResult | null = null;

export function take(): SqCallResult {
  const p = pending!;
  pending = null;
  return p;
}

function* waitFor(block: Block): SqCallResult {
  return yield block;
}

export function invoke(f: SqValue, self: SqValue, args: SqValue[]): SqValue | typeof PENDING {
  if (f instanceof SqClosure) {
    if (--ctx.budget < 0) throw new RunawayError(TURN_BUDGET);
    prepareArgs(f, args);
    const it = f.body(f.env === undefined ? self : f.env, args, f);
    if (f.info.generator) return new SqGenerator(it);
    pending = it;
    return PENDING;
  }
  if (f instanceof SqNative && !f.calls) {
    if (--ctx.budget < 0) throw new RunawayError(TURN_BUDGET);
    if (f.nparams > 0 ? args.length + 1 !== f.nparams : f.nparams < 0 && args.length + 1 < -f.nparams) raise("wrong number of parameters");
    const r = f.fn(f.env === undefined ? self : f.env, args);
    if (r instanceof Block) {
      pending = waitFor(r);
      return PENDING;
    }
    return r as SqValue;
  }
  pending = call(f, self, args);
  return PENDING;
}

export function invokeMember(obj: SqValue, key: SqValue, args: SqValue[]): SqValue | typeof PENDING {
  return invoke(get(obj, key), obj, args);
}


/** SQClass::Lock: a class with an instance takes no new fields, nor do its bases (an instance of B is one of A too). */
export function lockClass(cls: SqClass): void {
  for (let c: SqClass | null = cls; c !== null && !c.locked; c = c.base) c.locked = true;
}

export function* construct(cls: SqClass, args: SqValue[]): SqCallResult {
  const inst = new SqInstance(cls);
  for (const name of cls.fieldNames) inst.fields.set(name, cls.members.get(name) ?? null);
  lockClass(cls);
  const ctor = cls.members.get("constructor");
  if (ctor !== undefined && ctor !== null) yield* call(ctor, inst, args);
  return inst;
}

/**
 * A class statement or expression (CLASS_OP): a class inheriting its base's members and metamethods; the base's `_inherited` runs on it.
 * `base` is undefined when there is no `extends`; `extends K` with K null raises "trying to inherit from a null", as Squirrel does.
 */
export function newClass(base: SqValue | undefined, attrs: SqValue): SqClass {
  if (base !== undefined && !(base instanceof SqClass)) raise(`trying to inherit from a ${typeName(base)}`);
  const b = base ?? null;
  const cls = new SqClass(b === null ? new SqTable() : b.members.clone());
  if (b !== null) {
    cls.base = b;
    for (const f of b.fieldNames) cls.fieldNames.add(f);
    cls.nativeType = b.nativeType;
    for (const [k, v] of b.memberAttributes) cls.memberAttributes.set(k, v);
    for (const [k, v] of b.metamethods) cls.metamethods.set(k, v);
    const inherited = cls.metamethods.get("_inherited");
    if (inherited !== undefined) {
      // 3.0.4 ignores an error in _inherited (3.1 started propagating it).
      try {
        callMeta(inherited, cls, [attrs]);
      } catch (e) {
        if (uncatchable(e)) throw e;
      }
    }
  }
  cls.attributes = attrs;
  return cls;
}

export function closure(info: FunctionInfo, body: SqClosure["body"], defaults: SqValue[]): SqClosure {
  return new SqClosure(info, body, defaults);
}

export function genYield(v: SqValue): GenYield {
  return new GenYield(v);
}

/** `resume g`: runs g to its next yield (or its end); blocking calls inside it suspend the resumer too. */
export function* resume(g: SqValue): SqCallResult {
  if (!(g instanceof SqGenerator)) return raise(`trying to resume a '${typeName(g)}',only genenerator can be resumed`);
  if (g.state === "dead") raise("resuming dead generator");
  if (g.state === "running") raise("resuming active generator");
  g.state = "running";
  let r: IteratorResult<unknown, SqValue>;
  try {
    r = g.it.next(null);
    for (;;) {
      if (r.done) {
        g.state = "dead";
        return r.value;
      }
      if (r.value instanceof GenYield) {
        g.state = "suspended";
        return r.value.value;
      }
      let sent: SqValue;
      try {
        sent = yield r.value as Block;
      } catch (e) {
        r = g.it.throw(e);
        continue;
      }
      r = g.it.next(sent);
    }
  } catch (e) {
    g.state = "dead";
    throw e;
  }
}

/**
 * The global `callee()`: the closure that calls it. Compiled code passes its
 * own closure when it calls the bare name `callee` with no arguments (see
 * calleeCall); called any other way it cannot know its caller.
 */
export const CALLEE = new SqNative("callee", () => raise("no closure in the calls stack"), 0);

/** `callee()` in compiled code: the calling closure when the name is the global callee, else an ordinary call. */
export function* calleeCall(f: SqValue, self: SqValue, fn: SqClosure): SqCallResult {
  if (f === CALLEE) return fn;
  return yield* call(f, self, []);
}

export function thrown(v: SqValue): SqError {
  return new SqError(v);
}

export function baseOf(fn: SqClosure): SqValue {
  return fn.base;
}

