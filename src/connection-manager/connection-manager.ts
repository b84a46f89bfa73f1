import type { Wakeup } from "../device/event-loop.js";
import type { RootTable } from "../device/api/root.js";
import { InvalidArgumentError, InvalidStateError } from "../errors.js";
import { retryDelay } from "./backoff.js";
import {
  BLINKUP_BEHAVIORS,
  CM_BLINK_ALWAYS,
  CM_BLINK_NEVER,
  CM_BLINK_ON_CONNECT,
  CM_BLINK_ON_DISCONNECT,
  CM_DEFAULT_CALLBACK_ID,
  CM_FLUSH_TIMEOUT,
  CM_START_CONNECTED,
  CM_START_DISCONNECTED,
} from "./constants.js";
import type { BlinkUpBehavior } from "./constants.js";
import { resolveSettings } from "./settings.js";
import type { ConnectionManagerSettings, ResolvedSettings } from "./settings.js";

export type ConnectHandler = () => unknown;
export type TimeoutHandler = () => unknown;
export type DisconnectHandler = (expected: boolean) => unknown;
export type Task = () => unknown;

/** A log line kept while offline, replayed as "<ts> - <text>" after the next connection. */
interface StoredLog {
  ts: number;
  text: string;
  error: boolean;
}

/**
 * The attempt in progress. The token is what makes one attempt end in exactly
 * one flow: whoever ends it first (its own callback, the watchdog's timeout,
 * the watchdog seeing the device connected, a forced disconnect) clears
 * `attempt`, and any later outcome carrying the old token is stale and ignored.
 * A separate object, not a millisecond stamp: the original used
 * `hardware.millis()` as its "connecting" flag, which is falsy at 0.
 */
interface Attempt {
  token: number;
  startedAt: number;
}

/**
 * Electric Imp's ConnectionManager (v3.1.1 contract) for TypeScript device
 * programs, over nothing but the device's root table, so the same code runs on
 * the simulator and on the real stack. See ../shared/spec/connection-manager.md.
 *
 * Choices the spec leaves open:
 * - Unknown settings keys throw UnknownSettingError (IMPNET_CM_UNKNOWN_SETTING,
 *   with a "did you mean"), wrong types InvalidSettingError
 *   (IMPNET_CM_INVALID_SETTING); both name the key in `setting` and are thrown
 *   before anything touches the device. A program cannot write a `warning`
 *   line, and an uncaught throw is an `error` line that names the key.
 * - server.flush() does not block the caller in JavaScript (R36): with a flush,
 *   disconnect() returns at once with isConnected() false, and the session
 *   closes when the flush settles, before any other turn of the program runs.
 *   flushTimeout <= 0 (the original's -1) closes at once.
 * - Registering a handler again under an id moves it to the end of the order.
 * - onConnect handlers and queued tasks are given the connection the manager
 *   believes in; log lines the device refuses (SEND_ERROR_NOT_CONNECTED)
 *   are kept for replay rather than lost.
 */
export class ConnectionManager {
  readonly #root: RootTable;
  readonly #settings: ResolvedSettings;
  readonly #SERVER_CONNECTED: number;
  readonly #SEND_ERROR_NOT_CONNECTED: number;
  readonly #suspendOnError: boolean;

  #blinkupBehavior: BlinkUpBehavior;
  #connected: boolean;
  #attempt: Attempt | null = null;
  #nextToken = 1;
  /** Consecutive failed attempts; sizes the backoff, reset by a connection. */
  #failures = 0;
  /** The one pending (re)connect turn: a retry after a failure, or stayConnected's reconnect. */
  #reconnectTimer: Wakeup | null = null;
  /** True from disconnect() until its flush settles and server.disconnect() has run. */
  #closing = false;
  #queueScheduled = false;

  // Maps keep insertion order: handlers run in the order they were registered (fix).
  readonly #onConnect = new Map<string, ConnectHandler>();
  readonly #onTimeout = new Map<string, TimeoutHandler>();
  readonly #onDisconnect = new Map<string, DisconnectHandler>();
  readonly #queue: Task[] = [];
  readonly #logs: StoredLog[] = [];

  constructor(root: RootTable, settings?: ConnectionManagerSettings) {
    this.#root = root;
    this.#SERVER_CONNECTED = constant(root, "SERVER_CONNECTED");
    this.#SEND_ERROR_NOT_CONNECTED = constant(root, "SEND_ERROR_NOT_CONNECTED");
    this.#settings = resolveSettings(settings, { errorPolicy: constant(root, "RETURN_ON_ERROR"), waitPolicy: constant(root, "WAIT_TIL_SENT") });
    const s = this.#settings;
    this.#suspendOnError = s.errorPolicy === constant(root, "SUSPEND_ON_ERROR");
    this.#blinkupBehavior = s.blinkupBehavior;

    root.server.setsendtimeoutpolicy(s.errorPolicy, s.waitPolicy, s.ackTimeout);
    // Read at once so isConnected() is right from the start; the original left
    // it null until its first watchdog pass, which then ran a connected flow.
    this.#connected = root.server.isconnected();

    if (s.startBehavior === CM_START_CONNECTED) root.imp.wakeup(0, () => this.connect());
    else if (s.startBehavior === CM_START_DISCONNECTED) root.imp.wakeup(0, () => this.disconnect());

    this.#setBlinkUpState();
    root.imp.wakeup(s.checkTimeout, () => this.#watchdog());
  }

  // ---------------------------------------------------------------- handlers

  /** One handler per id; `null` removes it. Runs with no arguments after every connection. */
  onConnect(callback: ConnectHandler | null, id: string = CM_DEFAULT_CALLBACK_ID): this {
    return this.#setHandler(this.#onConnect, "ConnectionManager.onConnect", callback, id);
  }

  /** One handler per id; `null` removes it. Runs with no arguments after every failed attempt. */
  onTimeout(callback: TimeoutHandler | null, id: string = CM_DEFAULT_CALLBACK_ID): this {
    return this.#setHandler(this.#onTimeout, "ConnectionManager.onTimeout", callback, id);
  }

  /** One handler per id; `null` removes it. `expected` is true after disconnect(). */
  onDisconnect(callback: DisconnectHandler | null, id: string = CM_DEFAULT_CALLBACK_ID): this {
    return this.#setHandler(this.#onDisconnect, "ConnectionManager.onDisconnect", callback, id);
  }

  // ---------------------------------------------------------------- state and actions

  /** The manager's view, updated by its flows and its watchdog. */
  isConnected(): boolean {
    return this.#connected;
  }

  /**
   * false when an attempt is in progress (nothing happens). Already connected:
   * runs the connected flow again and returns true. Otherwise starts an attempt
   * and returns true.
   */
  connect(): boolean {
    if (this.#attempt !== null) return false;
    if (this.#closing) {
      // disconnect() is still flushing and the session is up: server.connect()
      // would do nothing now (R09). Connect once the close is done; the turn is
      // held until the flush settles, and runs after server.disconnect().
      this.#scheduleReconnect(0);
      return true;
    }
    this.#cancelReconnect();
    // R09: connect() while connected never calls back, so ask the device first
    // instead of waiting for a callback that will not come.
    if (this.#root.server.isconnected()) {
      this.#connected = true;
      this.#failures = 0;
      this.#connectedFlow();
      return true;
    }
    if (this.#connected) this.#noticeLoss(false); // the watchdog had not seen it yet
    this.#startAttempt();
    return true;
  }

  /**
   * force cancels an attempt in progress; without it an attempt makes this
   * return false. Otherwise flushes (flushTimeout <= 0, e.g. -1, skips it),
   * disconnects, runs the disconnected flow with expected=true and returns
   * true; already disconnected, only the flow runs.
   */
  disconnect(force = false, flushTimeout: number = CM_FLUSH_TIMEOUT): boolean {
    if (typeof force !== "boolean") throw new InvalidArgumentError("ConnectionManager.disconnect", "force", "a boolean", force);
    if (typeof flushTimeout !== "number" || Number.isNaN(flushTimeout))
      throw new InvalidArgumentError("ConnectionManager.disconnect", "flushTimeout", "a number of seconds (-1: no flush)", flushTimeout);
    if (this.#attempt !== null) {
      if (!force) return false;
      // Forget the token before the device cancels the attempt (R26): nothing of it may run a flow.
      this.#attempt = null;
    }
    this.#cancelReconnect();
    if (!force && !this.#connected) {
      this.#disconnectedFlow(true);
      return true;
    }
    // Before anything else runs: log() from here on is kept for replay.
    this.#connected = false;
    this.#close(flushTimeout);
    this.#disconnectedFlow(true);
    return true;
  }

  /** Queues a task for the next connection; runs it on a later turn at once if connected. */
  onNextConnect(task: Task): this {
    checkCallback("ConnectionManager.onNextConnect", "callback", task);
    this.#queue.push(task);
    this.#processQueue();
    return this;
  }

  /**
   * Queues a task that runs while connected, then disconnects; connects if
   * needed. A task that returns a promise disconnects once it settles.
   */
  connectFor(task: Task): this {
    checkCallback("ConnectionManager.connectFor", "callback", task);
    this.#queue.push(() => {
      const result = task();
      if (!isThenable(result)) {
        this.disconnect();
        return result;
      }
      // Returned to the event loop so that a rejection is reported as a program error.
      return Promise.resolve(result).finally(() => this.disconnect());
    });
    this.connect();
    return this;
  }

  setBlinkUpBehavior(behavior: BlinkUpBehavior): this {
    if (!BLINKUP_BEHAVIORS.includes(behavior))
      throw new InvalidArgumentError("ConnectionManager.setBlinkUpBehavior", "behavior", "one of CM_BLINK_ALWAYS, CM_BLINK_NEVER, CM_BLINK_ON_CONNECT, CM_BLINK_ON_DISCONNECT", behavior);
    this.#blinkupBehavior = behavior;
    this.#setBlinkUpState();
    return this;
  }

  /** Sends now when connected; otherwise keeps the line, with its time, for the next connection. */
  log(message: unknown): void {
    this.#send(message, false);
  }

  error(message: unknown): void {
    this.#send(message, true);
  }

  // ---------------------------------------------------------------- attempts

  #startAttempt(): void {
    const token = this.#nextToken++;
    this.#attempt = { token, startedAt: this.#root.hardware.millis() };
    const { server } = this.#root;
    if (this.#suspendOnError) {
      // R04: under SUSPEND_ON_ERROR connect() blocks and resolves once connected; a callback would be ignored.
      void server.connect().then(() => this.#attemptEnded(token, this.#SERVER_CONNECTED));
      return;
    }
    // One callback slot (R08): no other server.connect() runs while this attempt is ours.
    server.connect((reason) => this.#attemptEnded(token, reason), this.#settings.connectTimeout);
  }

  /** The device's outcome for the attempt with `token`; stale when that attempt was already ended. */
  #attemptEnded(token: number, reason: number): void {
    if (this.#attempt?.token !== token) return;
    this.#attempt = null;
    if (reason === this.#SERVER_CONNECTED) {
      this.#connected = true;
      this.#failures = 0;
      this.#connectedFlow();
    } else {
      this.#timeoutFlow();
    }
  }

  #scheduleReconnect(seconds: number): void {
    this.#cancelReconnect();
    this.#reconnectTimer = this.#root.imp.wakeup(seconds, () => {
      this.#reconnectTimer = null;
      this.connect();
    });
  }

  #cancelReconnect(): void {
    if (this.#reconnectTimer === null) return;
    this.#root.imp.cancelwakeup(this.#reconnectTimer);
    this.#reconnectTimer = null;
  }

  /** Seconds before the next retry: 0 as in the original, or the backoff (fix). */
  #retryDelay(): number {
    const retry = this.#settings.retry;
    if (retry === null) return 0;
    return retryDelay(retry, this.#failures, this.#root.math.rand() / 2 ** 31);
  }

  /**
   * Closes the session after flushing it. server.flush() blocks the program
   * (R36): no turn runs until it settles, and the disconnect follows as the
   * flush's continuation, so nothing else can run between the two.
   */
  #close(flushTimeout: number): void {
    const { server } = this.#root;
    if (flushTimeout <= 0 || !server.isconnected()) {
      server.disconnect();
      return;
    }
    this.#closing = true;
    const done = () => {
      this.#closing = false;
      server.disconnect();
    };
    void server.flush(flushTimeout).then(done, done);
  }

  // ---------------------------------------------------------------- flows

  #connectedFlow(): void {
    this.#setBlinkUpState();
    this.#replayLogs();
    this.#invoke(this.#onConnect, (h) => h());
    this.#processQueue();
  }

  #disconnectedFlow(expected: boolean): void {
    this.#noticeLoss(expected);
    if (this.#settings.stayConnected) this.#scheduleReconnect(0);
    // Stop impOS's own silent recovery (R23) too: without stayConnected nothing reconnects by itself.
    else if (!this.#closing) this.#root.server.disconnect();
  }

  /** The first half of the disconnected flow: state, BlinkUp, onDisconnect handlers. */
  #noticeLoss(expected: boolean): void {
    this.#connected = false;
    this.#setBlinkUpState();
    this.#invoke(this.#onDisconnect, (h) => h(expected));
  }

  #timeoutFlow(): void {
    this.#attempt = null;
    this.#connected = false;
    this.#failures++;
    this.#setBlinkUpState();
    this.#invoke(this.#onTimeout, (h) => h());
    if (this.#settings.retryOnTimeout) this.#scheduleReconnect(this.#retryDelay());
  }

  #watchdog(): void {
    const { server, imp, hardware } = this.#root;
    imp.wakeup(this.#settings.checkTimeout, () => this.#watchdog());
    const connected = server.isconnected();
    const attempt = this.#attempt;
    if (attempt !== null) {
      if (connected) {
        // The attempt succeeded and its callback has not run yet: it is stale from now on.
        this.#attemptEnded(attempt.token, this.#SERVER_CONNECTED);
      } else if (hardware.millis() - attempt.startedAt >= this.#settings.connectTimeout * 1000) {
        // The fix: cancel the device's attempt (R26: its callback never runs)
        // and forget its token, so a late outcome cannot run a second flow.
        this.#attempt = null;
        server.disconnect();
        this.#timeoutFlow();
      }
      return;
    }
    if (connected === this.#connected) {
      // impOS's silent recovery (R23) can hide a loss from every check; lines the device refused meanwhile still go out.
      if (connected && this.#logs.length > 0) this.#replayLogs();
      return;
    }
    if (connected) {
      this.#connected = true;
      this.#failures = 0;
      this.#cancelReconnect();
      this.#connectedFlow();
    } else {
      this.#disconnectedFlow(false);
    }
  }

  // ---------------------------------------------------------------- helpers

  #setHandler<H>(handlers: Map<string, H>, api: string, callback: H | null, id: string): this {
    if (typeof id !== "string") throw new InvalidArgumentError(api, "id", "a string", id);
    if (callback !== null) checkCallback(api, "callback", callback);
    // Re-registering moves the id to the end: the order is that of the latest registrations.
    handlers.delete(id);
    if (callback !== null) handlers.set(id, callback);
    return this;
  }

  /** Every handler registered now, each on its own later turn, in registration order. */
  #invoke<H>(handlers: Map<string, H>, call: (handler: H) => unknown): void {
    for (const handler of [...handlers.values()]) this.#root.imp.wakeup(0, () => call(handler));
  }

  /** One queued task per turn, in order, each only while connected and not attempting. */
  #processQueue(): void {
    if (this.#queueScheduled || !this.#ready()) return;
    this.#queueScheduled = true;
    this.#root.imp.wakeup(0, () => {
      this.#queueScheduled = false;
      // Re-checked at run time too: the connection may have gone since this turn was queued.
      if (!this.#ready()) return;
      const task = this.#queue.shift();
      if (task === undefined) return;
      this.#processQueue();
      return task();
    });
  }

  #ready(): boolean {
    return this.#queue.length > 0 && this.#connected && this.#attempt === null;
  }

  #send(message: unknown, error: boolean): void {
    const text = typeof message === "string" ? message : (JSON.stringify(message) ?? String(message));
    if (!this.#connected) {
      this.#logs.push({ ts: this.#root.time(), text, error });
      return;
    }
    const { server } = this.#root;
    const result = error ? server.error(text) : server.log(text);
    // The manager's view can trail the device by up to checkTimeout: keep what the device refused.
    if (result === this.#SEND_ERROR_NOT_CONNECTED) this.#logs.push({ ts: this.#root.time(), text, error });
  }

  #replayLogs(): void {
    const { server } = this.#root;
    while (this.#logs.length > 0) {
      const entry = this.#logs[0]!;
      const line = `${entry.ts} - ${entry.text}`;
      const result = entry.error ? server.error(line) : server.log(line);
      if (result === this.#SEND_ERROR_NOT_CONNECTED) return; // gone again: keep the rest, in order
      this.#logs.shift();
    }
  }

  #setBlinkUpState(): void {
    const b = this.#blinkupBehavior;
    const on =
      b === CM_BLINK_ALWAYS ||
      (b !== CM_BLINK_NEVER && ((this.#connected && b === CM_BLINK_ON_CONNECT) || (!this.#connected && b === CM_BLINK_ON_DISCONNECT)));
    this.#root.imp.enableblinkup(on);
  }
}

/** A constant of the device's release, by name (R02). */
function constant(root: RootTable, name: string): number {
  const v = root[name];
  if (typeof v !== "number") throw new InvalidStateError("ConnectionManager", `the device's root table has no constant ${name}`);
  return v;
}

function checkCallback(api: string, argument: string, v: unknown): void {
  if (typeof v !== "function") throw new InvalidArgumentError(api, argument, "a function", v);
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";
}
