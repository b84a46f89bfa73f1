import type { Clock, TimerId } from "../clock/clock.js";
import { schedule, Timer } from "../clock/timer.js";
import { runTurn } from "../clock/turn-guard.js";
import type { TurnOwner, TurnWork } from "../clock/turn-guard.js";
import { RunawayTimersError } from "../errors.js";
import type { RunawayTurnError } from "../errors.js";

export interface LoopHost {
  /** A program callback threw, or its promise rejected. */
  programError(error: unknown): void;
  /** A callback returned a promise: its continuations must run before virtual time moves on. */
  needsDrain(): void;
}

/** What a turn runs: a function, or an object that runs itself (a wakeup, a posted callback). */
export type Work = (() => unknown) | TurnWork;

/** What imp.wakeup returns: cancellable only through the loop that issued it. It is its own timer and its own turn. */
export class Wakeup extends Timer implements TurnWork {
  cancelled = false;
  timer: TimerId | null = null;
  constructor(
    readonly loop: EventLoop,
    readonly fn: () => unknown,
    /** The program that asked for it: a restarted program's wakeups are dropped unrun. */
    private readonly epoch: number,
  ) {
    super();
  }

  fire(): void {
    if (this.epoch === this.loop.epoch && !this.cancelled) this.loop.turn(this);
  }

  /** Cancelled while its turn was held: the turn runs, and does nothing. */
  run(): unknown {
    return this.cancelled ? undefined : this.fn();
  }
}

/** A turn posted for later at the current instant: its own timer. */
class Posted extends Timer {
  constructor(
    private readonly loop: EventLoop,
    private readonly epoch: number,
    private readonly work: Work,
  ) {
    super();
  }

  fire(): void {
    if (this.epoch === this.loop.epoch) this.loop.turn(this.work);
  }
}

/**
 * A turn posted for later at the current instant that carries its own data
 * and is its own timer: what a closure posted with post() would be, as one object.
 */
export abstract class PostedTurn extends Timer implements TurnWork {
  private readonly epoch: number;

  constructor(private readonly loop: EventLoop) {
    super();
    this.epoch = loop.epoch;
  }

  fire(): void {
    if (this.epoch === this.loop.epoch) this.loop.turn(this);
  }

  abstract run(): unknown;
}

/** More turns than this at one instant is a program looping on imp.wakeup(0, …). */
export const MAX_TURNS_PER_INSTANT = 100_000;

/**
 * The device program's event loop. Every callback runs on its own turn, from a
 * clock timer, never inside the API call that caused it. While the program is
 * suspended or blocked (R20, R36) turns are held, in order, and run on release.
 * A program restart bumps the generation: whatever the old program scheduled is
 * dropped when it comes due, unrun. (Not cleared at once: keeping a per-device
 * set of live timers costs more than the dead ones do, across a fleet.)
 */
export class EventLoop implements TurnOwner {
  private generation = 0;
  private holds = 0;
  private held: Work[] = [];
  private instant = -1;
  private turnsAtInstant = 0;

  /**
   * @param turnLimitMs gives every turn its own wall-time watchdog (the real
   * stack); the simulator guards its stretches of turns instead.
   */
  constructor(
    private readonly clock: Clock,
    private readonly host: LoopHost,
    private readonly turnLimitMs?: number,
  ) {}

  /** Changes at every program restart. */
  get epoch(): number {
    return this.generation;
  }

  get frozen(): boolean {
    return this.holds > 0;
  }

  /** Runs `work` on a later turn at the current virtual time. */
  post(work: Work): void {
    schedule(this.clock, 0, new Posted(this, this.generation, work));
  }

  /** Runs `turn` on a later turn at the current virtual time. */
  postTurn(turn: PostedTurn): void {
    schedule(this.clock, 0, turn);
  }

  /** imp.wakeup: runs `fn` on a turn `ms` from now, unless cancelled first (even while held). */
  wakeup(ms: number, fn: () => unknown): Wakeup {
    const w = new Wakeup(this, fn, this.generation);
    w.timer = schedule(this.clock, ms, w);
    return w;
  }

  /** Cancels a wakeup this loop issued; anything else (another device's, a stale one) is ignored. */
  cancel(handle: unknown): void {
    if (!(handle instanceof Wakeup) || handle.loop !== this) return;
    handle.cancelled = true;
    if (handle.timer !== null) this.clock.clearTimer(handle.timer);
  }

  /** Runs `work` now as a turn of the program (main(), or a delivery already on a later turn). */
  turn(work: Work): void {
    if (this.holds > 0) {
      this.held.push(work);
      return;
    }
    if (!this.counted()) {
      this.host.programError(new RunawayTimersError(this.clock.now(), MAX_TURNS_PER_INSTANT));
      return;
    }
    try {
      const result = runTurn(this, work, this.turnLimitMs);
      if (isThenable(result)) {
        this.host.needsDrain();
        const gen = this.generation;
        result.then(undefined, (e: unknown) => {
          if (gen === this.generation) this.host.programError(e);
        });
      }
    } catch (e) {
      this.host.programError(e);
    }
  }

  /** A turn of this loop ran past its limit and was stopped: a program error like any other. */
  runaway(error: RunawayTurnError): void {
    this.host.programError(error);
  }

  /** Counts a turn at this instant; false once there are too many (a program looping without time passing). */
  private counted(): boolean {
    const now = this.clock.now();
    if (now !== this.instant) {
      this.instant = now;
      this.turnsAtInstant = 0;
    }
    return ++this.turnsAtInstant <= MAX_TURNS_PER_INSTANT;
  }

  /**
   * A blocking call starting counts as a turn: a program that blocks for no
   * time in a loop (`imp.sleep(0)`) would otherwise spin at one instant forever.
   */
  countBlock(): void {
    if (!this.counted()) throw new RunawayTimersError(this.clock.now(), MAX_TURNS_PER_INSTANT);
  }

  /** Freezes the loop (suspend, or a blocking call). Holds nest. */
  hold(): void {
    this.holds++;
  }

  /** Lifts one hold; when none is left, held turns run in order, each on its own turn. */
  release(): void {
    if (this.holds === 0) return;
    if (--this.holds > 0) return;
    const held = this.held;
    this.held = [];
    for (const work of held) this.post(work);
  }

  /** Forgets the program: its timers, its held turns, its holds. */
  reset(): void {
    this.generation++;
    this.held = [];
    this.holds = 0;
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";
}
