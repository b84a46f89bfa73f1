import type { Clock } from "../../src/clock/clock.js";
import type { TimelineSink } from "../../src/timeline/events.js";

/** Timelines are not kept: a sink that stored them would grow with a long run and hide what impnet holds. */
export const NULL_SINK: TimelineSink = { write: () => {} };

export const pause = (clock: Clock, ms: number) => new Promise<void>((resolve) => clock.setTimer(ms, resolve));

export interface MessageCounts {
  sent: number;
  acked: number;
  failed: number;
  /** Neither acknowledged nor reported failed. */
  pending: number;
  ackedButLost: number;
  duplicates: number;
  /** Reported failed, yet delivered: the acknowledgement was lost on the way back. */
  failedYetDelivered: number;
}

const UNSENT = 0;
const PENDING = 1;
const ACKED = 2;
const FAILED = 3;

/**
 * Every WAIT_FOR_ACK message of a soak or chaos run, from send to agent: one
 * slot each (its id is the slot's index), allocated up front so that the
 * bookkeeping itself does not grow the heap being measured.
 */
export class MessageLedger {
  private readonly state: Uint8Array;
  private readonly received: Uint8Array;

  constructor(slots: number) {
    this.state = new Uint8Array(slots);
    this.received = new Uint8Array(slots);
  }

  /** The device sent message `id`; `result` is what agent.send gave (0 when acknowledged). */
  send(id: number, result: number | Promise<number>): void {
    this.state[id] = PENDING;
    void Promise.resolve(result).then(
      (r) => void (this.state[id] = r === 0 ? ACKED : FAILED),
      () => void (this.state[id] = FAILED),
    );
  }

  /** The agent's handler: anything that is not a slot's id is ignored. */
  arrived(id: unknown): void {
    const i = Number(id);
    if (Number.isInteger(i) && i >= 0 && i < this.received.length && this.received[i]! < 255) this.received[i]!++;
  }

  /** Whether a message is still in flight: acknowledged but not yet delivered, or not yet settled. */
  unsettled(): boolean {
    return this.state.some((st, i) => st === PENDING || (st === ACKED && this.received[i] === 0));
  }

  counts(): MessageCounts {
    const c: MessageCounts = { sent: 0, acked: 0, failed: 0, pending: 0, ackedButLost: 0, duplicates: 0, failedYetDelivered: 0 };
    this.state.forEach((st, i) => {
      if (st === UNSENT) return;
      c.sent++;
      const got = this.received[i]!;
      if (st === PENDING) c.pending++;
      if (st === ACKED) c.acked++;
      if (st === FAILED) c.failed++;
      if (st === ACKED && got === 0) c.ackedButLost++;
      if (got > 1) c.duplicates += got - 1;
      if (st === FAILED && got > 0) c.failedYetDelivered++;
    });
    return c;
  }
}
