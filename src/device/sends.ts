import type { Clock, TimerId } from "../clock/clock.js";
import * as C from "../constants.js";
import type { Policy } from "../connection/state.js";
import type { DeviceLink, Outbound } from "../network/port.js";

/** What the sends need from their device. */
export interface SendsHost {
  readonly clock: Clock;
  readonly link: DeviceLink;
  readonly connected: boolean;
  readonly policy: Policy;
  /** Holds the device's event loop while `run` is pending (a blocking call, R36). */
  block<T>(run: () => Promise<T>): Promise<T>;
  /** Settles a promise the program may await, letting its continuation run. */
  settle<T>(resolve: (value: T) => void, value: T): void;
  /** SUSPEND_ON_ERROR while disconnected: connect first (R21). */
  connectBlocking(): Promise<void>;
  /** A send timed out: the connection layer decides what that drops (R24). */
  sendTimedOut(detail: string): void;
}

interface PendingSend {
  timer: TimerId | null;
  /** Settles the send once; a timeout (by default SEND_ERROR_TIMEOUT) is a send failure (R24). */
  settle: (result: number, timedOut?: boolean) => void;
}

/**
 * A program's sends (server.log/error, agent.send) and flushes under its
 * policies (R21, R24, R32, R36). Every send the program waits for is settled
 * exactly once; when the program stops, its sends are forgotten with their
 * timers, so nothing of a dead program can touch the next one's connection.
 */
export class Sends {
  private pending: Set<PendingSend> | null = null;

  constructor(private readonly host: SendsHost) {}

  send(message: Outbound): number | Promise<number> {
    const h = this.host;
    const { error, wait, timeoutS } = h.policy;
    if (!h.connected) {
      if (error !== C.SUSPEND_ON_ERROR) return C.SEND_ERROR_NOT_CONNECTED;
      return h.block(async () => {
        await h.connectBlocking();
        return this.send(message);
      });
    }
    if (wait === C.WAIT_TIL_SENT) {
      if (h.link.send(message) === "sent") return C.SEND_OK;
      if (error === C.RETURN_ON_ERROR_NO_DISCONNECT) return C.SEND_ERROR_WOULDBLOCK;
      return this.waitFor(timeoutS, () => {}); // the buffer is full: the imp blocks until the timeout
    }
    return this.waitFor(timeoutS, (settle) => {
      if (h.link.send(message, () => settle(C.SEND_OK)) === "wouldblock")
        settle(error === C.RETURN_ON_ERROR_NO_DISCONNECT ? C.SEND_ERROR_WOULDBLOCK : C.SEND_ERROR_TIMEOUT, false);
    });
  }

  /** server.flush (R32): true when everything pending is acknowledged within the timeout. */
  flush(timeoutMs: number): Promise<boolean> {
    const h = this.host;
    return h.block(
      () =>
        new Promise<boolean>((resolve) => {
          if (!h.connected) return h.clock.setTimer(0, () => h.settle(resolve, false));
          let done = false;
          const timer = h.clock.setTimer(timeoutMs, () => {
            done = true;
            h.settle(resolve, false);
          });
          h.link.whenDrained(() => {
            if (done) return;
            done = true;
            h.clock.clearTimer(timer);
            h.settle(resolve, true);
          });
        }),
    );
  }

  /** The session ended: every send still waiting gets SEND_ERROR_DISCONNECTED. */
  disconnected(): void {
    if (this.pending !== null) for (const p of [...this.pending]) p.settle(C.SEND_ERROR_DISCONNECTED);
  }

  /** The program stopped: nobody hears of its sends any more, and their timers go. */
  forget(): void {
    if (this.pending !== null) for (const p of this.pending) if (p.timer !== null) this.host.clock.clearTimer(p.timer);
    this.pending = null;
  }

  /**
   * A send the program waits for: settled once, by its ack, its timeout (which
   * drops the connection under RETURN_ON_ERROR, R24), the session ending, or
   * the program stopping (then nobody hears).
   */
  private waitFor(timeoutS: number, start: (settle: (result: number, timedOut?: boolean) => void) => void): Promise<number> {
    const h = this.host;
    return h.block(
      () =>
        new Promise<number>((resolve) => {
          const pending: PendingSend = {
            timer: null,
            settle: (result, timedOut = result === C.SEND_ERROR_TIMEOUT) => {
              if (this.pending?.delete(pending) !== true) return;
              if (pending.timer !== null) h.clock.clearTimer(pending.timer);
              h.settle(resolve, result);
              if (timedOut) h.sendTimedOut(`no acknowledgement within the ${timeoutS} s send timeout`);
            },
          };
          (this.pending ??= new Set()).add(pending);
          pending.timer = h.clock.setTimer(timeoutS * 1000, () => {
            pending.timer = null;
            pending.settle(C.SEND_ERROR_TIMEOUT);
          });
          start(pending.settle);
        }),
    );
  }
}
