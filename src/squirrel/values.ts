/**
 * How Squirrel values live in JavaScript. Chosen for speed on the common path
 * (integers, strings, arrays are plain JS values) and for exactness where JS
 * would blur Squirrel's types:
 *
 *   null           → null
 *   bool           → boolean
 *   integer        → number, always an int32 (every producer wraps with `| 0` / Math.imul)
 *   float          → SqFloat (boxed: 2 and 2.0 are different values in Squirrel); v is float32-rounded
 *   string         → string of bytes: every char code is 0–255 (UTF-8 source literals arrive as their bytes)
 *   array          → SqValue[] (a plain JS array)
 *   table          → SqTable (Squirrel 3.0.4's scatter table: its iteration order is observable)
 *   closure        → SqClosure; native function → SqNative
 *   class/instance → SqClass / SqInstance
 *   generator      → SqGenerator; weakref → SqWeakRef
 *   anything else a host gives (blob, regexp, userdata) → an SqInstance of a native class, or SqUserData
 */
import type { SqTable } from "./table.js";

export type SqValue =
  | null
  | boolean
  | number
  | string
  | SqFloat
  | SqValue[]
  | SqTable
  | SqClosure
  | SqNative
  | SqClass
  | SqInstance
  | SqGenerator
  | SqWeakRef
  | SqUserData;

export class SqFloat {
  readonly v: number;
  constructor(v: number) {
    this.v = Math.fround(v);
  }
}

export function float(v: number): SqFloat {
  return new SqFloat(v);
}

/**
 * A thrown Squirrel value (`throw x`, or a runtime error whose value is its
 * message). `frames` collects the Squirrel frames the error passes through,
 * innermost first, as it propagates.
 */
export class SqError extends Error {
  readonly value: SqValue;
  readonly frames: SqFrame[];
  constructor(value: SqValue) {
    // No JavaScript stack: Squirrel's frames are what matter, and Squirrel
    // throws for control flow too (a `_get` saying "not found").
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(typeof value === "string" ? value : "(thrown value)");
    Error.stackTraceLimit = limit;
    this.value = value;
    this.frames = [];
  }
}

export interface SqFrame {
  fn: string;
  file: string;
  line: number;
}

/**
 * A native function may return a value, or (for blocking host calls) a
 * Block: the Squirrel stack suspends there and resumes with the promise's value.
 */
export class Block {
  constructor(readonly promise: Promise<SqValue>) {}
}

/** What a compiled Squirrel function or a native generator yields upward: a Block, or a generator's yielded value. */
export type Yielded = Block | GenYield;
export class GenYield {
  constructor(readonly value: SqValue) {}
}

export type SqCallResult = Generator<Yielded, SqValue, SqValue>;

/**
 * A host function. `fn` returns a value, a Block, or — when `calls` is true —
 * a generator (so it can call back into Squirrel, e.g. array.sort's comparator).
 * `nparams`: Squirrel's nparamscheck counting `this` (0 = any; negative = at least −n).
 */
export class SqNative {
  constructor(
    readonly name: string,
    readonly fn: (self: SqValue, args: SqValue[]) => SqValue | Block | SqCallResult,
    readonly nparams = 0,
    readonly calls = false,
  ) {}
  env: SqValue | undefined = undefined;
  /** The compiled typemask, one type-bit set per parameter (`this` first, -1 any), as getinfos() shows it; null when unchecked. */
  typemask: number[] | null = null;
}

export interface FunctionInfo {
  name: string;
  file: string;
  line: number;
  /** Declared parameters, without `this`. */
  params: string[];
  varargs: boolean;
  /** How many trailing parameters have defaults. */
  ndefaults: number;
  generator: boolean;
}

/** A compiled Squirrel function: `body(self, args, closure)` is a JS generator function (`closure` is the one called, for `callee()`). */
export class SqClosure {
  /** Set by bindenv: the fixed `this`. */
  env: SqValue | undefined = undefined;
  /**
   * What `base` is in this function (Squirrel's closure `_base`): set only on the copy that a class
   * with a base class stores as a method (SQClass::NewSlot), and kept by bindenv's copy; null
   * everywhere else, so a function nested in a method or a metamethod sees a null base.
   */
  base: SqClass | null = null;
  /** The host's handle for this function once it has been handed to the host (a callback), reused on every hand-over. */
  hostHandle: unknown = undefined;
  constructor(
    readonly info: FunctionInfo,
    readonly body: (self: SqValue, args: SqValue[], closure: SqClosure) => SqCallResult,
    readonly defaults: SqValue[],
  ) {}
}

export class SqClass {
  base: SqClass | null = null;
  /** Methods, fields' defaults and statics, in a Squirrel table (foreach over a class walks it). */
  members: SqTable;
  /** Names of non-static fields, for new instances. */
  fieldNames: Set<SqValue> = new Set();
  attributes: SqValue = null;
  memberAttributes = new Map<SqValue, SqValue>();
  /**
   * Metamethods (`_add`, `_get`, `_tostring`, …): a function member with a
   * metamethod's name is kept here, not in `members`, as Squirrel keeps them
   * apart (so foreach over a class, `in` and rawget do not see them).
   */
  readonly metamethods = new Map<string, SqValue>();
  locked = false;
  /** Host classes (blob, regexp) create their instances' native state here. */
  nativeType: string | null = null;
  constructor(members: SqTable) {
    this.members = members;
  }
}

export class SqInstance {
  /** The instance's own field values; methods and statics are read from the class. */
  readonly fields = new Map<SqValue, SqValue>();
  /** Host state of a native class's instance (a blob's bytes, a compiled regexp). */
  native: unknown = null;
  constructor(readonly cls: SqClass) {}
}

export class SqGenerator {
  state: "suspended" | "running" | "dead" = "suspended";
  constructor(readonly it: SqCallResult) {}
}

export class SqWeakRef {
  constructor(readonly target: SqValue) {}
}

/** A host object with no Squirrel class (a wakeup handle, a device API object). */
export class SqUserData {
  constructor(
    readonly kind: string,
    readonly value: unknown,
  ) {}
}

/** Squirrel's truthiness: 0, 0.0, null and false are false; everything else is true. */
export function truthy(v: SqValue): boolean {
  if (v === null || v === false || v === 0) return false;
  if (v instanceof SqFloat) return v.v !== 0;
  return true;
}
