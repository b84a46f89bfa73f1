import vm from "node:vm";
import { RunawayTurnError } from "../errors.js";

/** How long one program turn may run, in wall time, before it is stopped as a runaway. */
export const DEFAULT_TURN_LIMIT_MS = 10_000;
/** Shorter, and impnet's own work between turns (a GC pause, a blocked write) could pass for a runaway. */
export const MIN_TURN_LIMIT_MS = 100;

/** Whoever runs program turns (a device's event loop, an agent): told when one of its turns was stopped. */
export interface TurnOwner {
  runaway(error: RunawayTurnError): void;
}

/** A turn given as an object that runs itself, where a closure per turn would cost (a fleet's wakeups). */
export interface TurnWork {
  run(): unknown;
}

const selfBoundedPrograms = new WeakSet<object>();

/** Marks a program whose turns bound themselves (the Squirrel VM counts its operations): it needs no watchdog. */
export function selfBounded<T extends object>(program: T): T {
  selfBoundedPrograms.add(program);
  return program;
}

export function isSelfBounded(program: object): boolean {
  return selfBoundedPrograms.has(program);
}

/** The owner of the innermost turn running now. A stopped turn skips every `finally`, so this still names it afterwards. */
let active: TurnOwner | null = null;
/** Inside a guarded stretch (the simulator's): turns need no watchdog of their own. */
let guarding = false;

/**
 * Runs one program turn for `owner`. With a limit, and outside a guarded
 * stretch, the turn gets its own watchdog: on the real stack turns are rare
 * and the watchdog's cost (a thread, about 0.1 ms) is nothing beside them.
 */
export function runTurn(owner: TurnOwner, fn: (() => unknown) | TurnWork, limitMs?: number): unknown {
  if (limitMs !== undefined && !guarding) {
    let result: unknown;
    runGuarded(() => (result = runTurn(owner, fn)), limitMs);
    return result;
  }
  const outer = active;
  active = owner;
  try {
    return typeof fn === "function" ? fn() : fn.run();
  } finally {
    active = outer;
  }
}

const context = vm.createContext({ stretch: null as (() => void) | null });
const call = new vm.Script("stretch()");

/**
 * Runs `fn` for at most `limitMs` of wall time. JavaScript on this thread
 * cannot be stopped from JavaScript, and V8's TerminateExecution elsewhere
 * corrupts Node's callback bookkeeping; the vm module's watchdog is the one
 * safe way: it stops the code, unwinds it without running its catch or finally
 * blocks, and hands back an error here. The turn running at that moment is
 * the runaway; its owner is told, and `fn`'s caller carries on (returns true).
 * The stop can land in impnet code the program called (a loop on
 * server.log or imp.wakeup): the caller repairs what it can (the clock).
 *
 * Not `breakOnSigint`: a SIGINT that lands as the call ends can terminate
 * whatever JavaScript runs next, and the process hangs. A command's own
 * Ctrl-C handler runs once the turn ends, at the latest at its limit.
 */
export function runGuarded(fn: () => void, limitMs: number): boolean {
  const outerGuarding = guarding;
  const outerActive = active;
  context.stretch = fn;
  guarding = true;
  try {
    call.runInContext(context, { timeout: limitMs });
    return false;
  } catch (e) {
    if ((e as { code?: unknown }).code !== "ERR_SCRIPT_EXECUTION_TIMEOUT") throw e;
    const owner = active;
    const error = new RunawayTurnError(limitMs);
    if (owner === null) throw error; // the guarded code itself, not a program, ran away
    owner.runaway(error);
    return true;
  } finally {
    guarding = outerGuarding;
    active = outerActive; // a stopped stretch skipped the finally blocks that would have restored it
    context.stretch = null;
  }
}
