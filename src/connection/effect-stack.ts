import type { ConnEffect } from "./events.js";

/** Where the machine puts the effects of a step: an array, or an EffectStack. */
export interface Effects {
  push(effect: ConnEffect, another?: ConnEffect): unknown;
}

/**
 * The effects of steps as a stack that is reused: a driver marks the top,
 * steps, applies what lies above the mark and pops it. Applying an effect
 * may step again (a program starting dispatches programStart): that step's
 * effects go above, are applied and popped first. A fleet steps millions of
 * times; an array per step was most of the bytes the machine allocated.
 */
export class EffectStack implements Effects {
  private readonly items: (ConnEffect | undefined)[] = [];
  /** Effects on the stack now. */
  top = 0;

  push(effect: ConnEffect, another?: ConnEffect): void {
    this.items[this.top++] = effect;
    if (another !== undefined) this.items[this.top++] = another;
  }

  at(index: number): ConnEffect {
    return this.items[index]!;
  }

  /** Drops the effects above `mark`, letting go of them. */
  popTo(mark: number): void {
    while (this.top > mark) this.items[--this.top] = undefined;
  }
}
