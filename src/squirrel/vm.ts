import { Identity, useIdentity } from "./identity.js";
import { SqTable } from "./table.js";
import { Block, GenYield, SqError } from "./values.js";
import type { SqCallResult, SqValue } from "./values.js";
import { setContext } from "./runtime/context.js";
import type { VmContext } from "./runtime/context.js";
import { invoke, PENDING, take, TURN_BUDGET } from "./runtime/calls.js";

/**
 * One Squirrel VM: a root table, a constant table and object numbering of its
 * own (S1: one per device copy). `run` calls a Squirrel function as one turn:
 * it returns the result at once, or a promise when the function blocked on a
 * host call (S5) — the frames stay suspended in their generators meanwhile.
 */
export class SquirrelVM implements VmContext {
  readonly root: SqTable;
  readonly consts = new SqTable();
  budget = TURN_BUDGET;
  readonly identity = new Identity();
  /** Whoever embeds the VM (the device adapter): natives shared by every VM find their VM's host here. */
  host: unknown = null;

  constructor(readonly delegates: Map<string, SqTable>, root?: SqTable) {
    this.root = root ?? new SqTable();
  }

  run(fn: SqValue, self: SqValue, args: SqValue[]): SqValue | Promise<SqValue> {
    const prevCtx = setContext(this);
    const prevId = useIdentity(this.identity);
    this.budget = TURN_BUDGET;
    let r: SqValue | typeof PENDING;
    try {
      r = invoke(fn, self, args);
    } finally {
      setContext(prevCtx);
      useIdentity(prevId);
    }
    if (r !== PENDING) return r; // a native, done at once
    const it = take();
    return this.drive(it, () => it.next());
  }

  /** One stretch of the stack, up to its end or its next blocking call, with this VM in force. */
  private step(step: () => IteratorResult<unknown, SqValue>): IteratorResult<unknown, SqValue> {
    const prevCtx = setContext(this);
    const prevId = useIdentity(this.identity);
    this.budget = TURN_BUDGET;
    try {
      return step();
    } finally {
      setContext(prevCtx);
      useIdentity(prevId);
    }
  }

  /**
   * Runs the stack to its end. Each blocking call suspends it; one promise
   * stands for the whole run, however many blocks it goes through (a
   * `while (true) { …; imp.sleep(60); }` program holds no growing chain).
   */
  private drive(it: SqCallResult, first: () => IteratorResult<unknown, SqValue>): SqValue | Promise<SqValue> {
    const r = this.step(first);
    if (r.done) return r.value;
    return new Promise<SqValue>((resolve, reject) => {
      const go = (next: () => IteratorResult<unknown, SqValue>): void => {
        let s: IteratorResult<unknown, SqValue>;
        try {
          s = this.step(next);
        } catch (e) {
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as thrown: a Squirrel error, or the host stopping the program
          reject(e);
          return;
        }
        if (s.done) resolve(s.value);
        else wait(s.value);
      };
      const wait = (y: unknown): void => {
        if (!(y instanceof Block)) {
          reject(y instanceof GenYield ? new SqError("'yield' outside a generator") : new Error("a compiled function yielded something that is not a Block"));
          return;
        }
        y.promise.then(
          (v) => go(() => it.next(v)),
          (e: unknown) => go(() => it.throw(e)),
        );
      };
      wait(r.value);
    });
  }

  /** Runs host code that touches this VM's values (building tables, numbering objects) as if a turn were running. */
  within<T>(fn: () => T): T {
    const prevCtx = setContext(this);
    const prevId = useIdentity(this.identity);
    try {
      return fn();
    } finally {
      setContext(prevCtx);
      useIdentity(prevId);
    }
  }
}
