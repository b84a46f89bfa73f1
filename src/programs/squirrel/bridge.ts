import type { ProgramHost } from "../../device/device.js";
import { ImpnetError } from "../../errors.js";
import { native } from "../../squirrel/builtins/native.js";
import { toStr } from "../../squirrel/runtime/ops.js";
import { SqTable } from "../../squirrel/table.js";
import { Block, SqClosure, SqError, SqFloat, SqInstance, SqNative, SqUserData } from "../../squirrel/values.js";
import { TAKES_TYPED, TypedMessage } from "../../wire/message.js";
import { hostNative } from "./host-natives.js";
import { decodeTyped, encodeTyped } from "./typed-wire.js";
import type { SqValue } from "../../squirrel/values.js";
import type { SquirrelVM } from "../../squirrel/vm.js";
import { blobBytes, isBlob, newBlob } from "../../squirrel/builtins/blob-class.js";
import { toBytes as utf8Bytes, toText as bytesText } from "../../squirrel/bytes.js";
import type { SquirrelSource } from "./load-squirrel.js";

/** An uncaught Squirrel error as the device and agent report it: the Squirrel message, the Squirrel stack (S7). */
export class SquirrelProgramError extends Error {
  constructor(text: string, stack: string, cause: unknown) {
    super(text, { cause });
    this.name = "SquirrelProgramError";
    this.stack = stack;
  }
}

/** APIs whose first argument the imp turns into text the way `+ ""` does. */
const LOG_APIS = new Set(["server.log", "server.error"]);
/** APIs whose second argument is message data: it travels in its exact Squirrel form too (S1). */
const SEND_APIS = new Set(["agent.send", "device.send"]);

/**
 * The one adapter between a Squirrel VM and a JavaScript root table (S1):
 * values cross here in both directions, host functions become natives,
 * Squirrel functions become callbacks, and a host promise becomes a Block
 * that suspends the Squirrel stack while the program's event loop is held (S5).
 */
export class Bridge {
  constructor(
    readonly vm: SquirrelVM,
    private readonly host: ProgramHost,
    private readonly source: SquirrelSource,
    /** The JavaScript root table whose functions the shared host natives call. */
    readonly jsRoot: Record<string, unknown>,
  ) {
    vm.host = this;
  }

  /** A JavaScript value as Squirrel sees it; `path` names host functions for their errors. */
  toSq(v: unknown, path = ""): SqValue {
    if (v === null || v === undefined) return null;
    switch (typeof v) {
      case "boolean":
        return v;
      case "number":
        return Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff ? v : new SqFloat(v);
      case "string":
        return utf8Bytes(v);
      case "function":
        return hostNative(path);
      case "object":
        break;
      default:
        return null;
    }
    if (v instanceof Uint8Array) return newBlob(v);
    if (Array.isArray(v)) return v.map((item: unknown) => this.toSq(item, path));
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return new SqUserData(path, v);
    const t = new SqTable();
    for (const key of Object.keys(v)) t.newSlot(utf8Bytes(key), this.toSq((v as Record<string, unknown>)[key], path === "" ? key : `${path}.${key}`));
    return t;
  }

  /** The original file and line of a line of the compiled program (S6). */
  origin(line: number): { file: string; line: number } {
    return this.source.origin(line);
  }

  /** A Squirrel value as a JavaScript API expects it (R33's JSON mapping for data). */
  toJs(v: SqValue): unknown {
    if (v === null || typeof v === "boolean" || typeof v === "number") return v;
    if (typeof v === "string") return bytesText(v);
    if (v instanceof SqFloat) return v.v;
    if (Array.isArray(v)) return v.map((item) => this.toJs(item));
    if (v instanceof SqTable) {
      const o: Record<string, unknown> = {};
      // defineProperty: a key named "__proto__" is data like any other, never the object's prototype.
      for (let i = v.nextIndex(0); i >= 0; i = v.nextIndex(i + 1))
        Object.defineProperty(o, bytesText(toStr(v.keyAt(i))), { value: this.toJs(v.valueAt(i)), enumerable: true, writable: true, configurable: true });
      return o;
    }
    if (v instanceof SqClosure) return (v.hostHandle ??= this.callback(v));
    if (v instanceof SqNative) return this.callback(v);
    if (v instanceof SqUserData) return v.value;
    if (v instanceof SqInstance && isBlob(v)) return blobBytes(v);
    return v;
  }

  /** A host function called from Squirrel: its arguments as JavaScript, its result (or its promise, S5) back. */
  callHost(parts: readonly string[], path: string, args: SqValue[]): SqValue | Block {
    let target: unknown = this.jsRoot;
    let owner: unknown = null;
    for (const p of parts) {
      owner = target;
      target = (target as Record<string, unknown>)[p];
    }
    const fn = target as (...a: unknown[]) => unknown;
    const jsArgs = new Array<unknown>(args.length);
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (i === 0 && LOG_APIS.has(path)) jsArgs[i] = bytesText(toStr(a));
      else if (i === 1 && SEND_APIS.has(path)) jsArgs[i] = new TypedMessage(encodeTyped(a)); // refuses cycles and what a message cannot carry
      else jsArgs[i] = typeof a === "number" || typeof a === "boolean" || a === null ? a : this.toJs(a);
    }
    const r = fn.apply(owner, jsArgs);
    if (r instanceof Promise) return new Block(this.host.block(r).then((value) => this.vm.within(() => this.toSq(value))));
    return this.toSq(r);
  }

  /** A Squirrel function the host will call later, each call a turn of its own with the root table as `this`. */
  callback(fn: SqValue): (...args: unknown[]) => unknown {
    const cb = (...args: unknown[]) => {
      const r = this.run(fn, args);
      return r instanceof Promise ? r : undefined;
    };
    (cb as { [TAKES_TYPED]?: boolean })[TAKES_TYPED] = true;
    return cb;
  }

  /** Runs a Squirrel function as a turn; a Squirrel error leaves as a SquirrelProgramError. */
  run(fn: SqValue, args: unknown[]): SqValue | Promise<SqValue> {
    let r: SqValue | Promise<SqValue>;
    try {
      const sqArgs = args.length === 0 ? [] : this.vm.within(() => args.map((a) => (a instanceof TypedMessage ? decodeTyped(a.typed) : this.toSq(a))));
      r = this.vm.run(fn, this.vm.root, sqArgs);
    } catch (e) {
      throw this.programError(e);
    }
    if (r instanceof Promise)
      return r.catch((e: unknown) => {
        throw this.programError(e);
      });
    return r;
  }

  private programError(e: unknown): unknown {
    if (!(e instanceof SqError)) {
      // The host refusing a call made with no Squirrel frame below it (a native handed over as a callback): its message only.
      if (e instanceof Error && !(e instanceof ImpnetError && e.code === "IMPNET_PROGRAM_STOPPED")) return new SquirrelProgramError(e.message, `Error: ${e.message}`, e);
      return e;
    }
    const text = typeof e.value === "string" ? bytesText(e.value) : this.vm.within(() => bytesText(toStr(e.value)));
    const frames = e.frames.map((f) => {
      const at = this.source.origin(f.line);
      return `    at ${f.fn} (${at.file}:${at.line})`;
    });
    return new SquirrelProgramError(text, [`Error: ${text}`, ...frames].join("\n"), e);
  }
}

/** A table whose missing keys raise "not emulated" (pins and peripherals of `hardware`): one delegate for all. */
const notEmulatedDelegates = new Map<string, SqTable>();
export function notEmulated(table: SqTable, owner: string): void {
  let d = notEmulatedDelegates.get(owner);
  if (d === undefined) {
    d = new SqTable();
    d.newSlot(
      "_get",
      native("_get", 2, null, (_self, [key]) => {
        throw new SqError(`${owner}.${toStr(key!)} is not emulated by impnet (no pins or peripherals are simulated)`);
      }),
    );
    notEmulatedDelegates.set(owner, d);
  }
  table.delegate = d;
}
