import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { RealClock } from "../clock/real-clock.js";
import { ImpnetError } from "../errors.js";
import type { ServerEndpoint } from "../network/host/endpoints.js";
import { accepts, stopChild } from "./child-process.js";

/** The broker a real fleet's devices connect to, and how the scenario's server events stop and start it. */
export interface FleetBroker {
  /** Where the devices connect (valid once start() has resolved). */
  readonly server: ServerEndpoint;
  /** Starts the broker unless it runs; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it if it runs. */
  stop(): Promise<void>;
  /** Why the broker went away on its own while the fleet ran, if it did. */
  readonly crashed: string | undefined;
}

/** The broker could not be started, or it went away. */
export class FleetBrokerError extends ImpnetError {
  constructor(detail: string) {
    super("IMPNET_REAL_FLEET_BROKER", detail);
  }
}

/** How long a --broker-command broker gets to accept connections after it is started. */
export const BROKER_START_MS = 10_000;
const POLL_MS = 50;

const BIN = fileURLToPath(new URL("../../bin/impnet.js", import.meta.url));

/** A child process whose last words on stderr are kept: they are the ones that say why it went away. */
function watchChild(child: ChildProcess, what: string, onCrash: (why: string) => void): { stderr: () => string } {
  let err = "";
  child.once("error", (e) => onCrash(`${what} could not be started: ${e.message}`)); // a failed spawn (EAGAIN, no /bin/sh) is an error, not a crash of this process
  child.stderr?.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  child.once("exit", (code, signal) => onCrash(`${what} exited (${code ?? signal ?? "?"}) while the fleet ran: ${err.trim()}`));
  return { stderr: () => err.trim() };
}

/** `impnet serve` as its own process, as it is deployed: stopped and started again for the scenario's server events. */
export class ServeProcess implements FleetBroker {
  private child: ChildProcess | null = null;
  private readonly wall = new RealClock();
  /** 0 until the first start; later starts reuse it. */
  readonly server: ServerEndpoint = { host: "127.0.0.1", port: 0, tls: false };
  crashed: string | undefined;

  /** `args`: more of serve's options (a bench's `--agent FILE`). */
  constructor(
    private readonly dataDir: string,
    private readonly args: readonly string[] = [],
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    if (this.child !== null) return;
    // No dashboard: a page's bookkeeping is not part of what a fleet run measures.
    const child = spawn(process.execPath, [BIN, "serve", "--port", String(this.server.port), "--json", "--no-dashboard", "--data", this.dataDir, ...this.args], { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    const watched = watchChild(child, "impnet serve", (why) => {
      if (this.child !== child) return;
      this.child = null;
      this.crashed = why;
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      const onData = (d: Buffer) => {
        out += d.toString();
        const nl = out.indexOf("\n");
        if (nl < 0) return;
        child.stdout?.off("data", onData);
        child.stdout?.resume(); // its login lines: not this command's output
        resolve((JSON.parse(out.slice(0, nl)) as { mqtt: string }).mqtt);
      };
      child.stdout?.on("data", onData);
      child.once("exit", (code) => reject(new FleetBrokerError(`impnet serve exited (${code ?? "by a signal"}) before it listened: ${watched.stderr()}`)));
    });
    this.server.port = Number(new URL(url).port);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child !== null) await stopChild(child, this.wall);
  }
}

/**
 * A broker the user names (`--broker URL`) and, with `--broker-command`,
 * starts: impnet runs the command in a shell of its own process group, waits
 * until the URL's port accepts connections, and stops the whole group
 * (SIGTERM, then SIGKILL) for the scenario's server-down events. Without a
 * command the broker is the user's to run; impnet neither starts nor stops it.
 */
export class ExternalBroker implements FleetBroker {
  private child: ChildProcess | null = null;
  private readonly wall = new RealClock();
  crashed: string | undefined;

  constructor(
    readonly server: ServerEndpoint,
    private readonly command?: string,
  ) {}

  async start(): Promise<void> {
    const where = `${this.server.host}:${this.server.port}`;
    if (this.command === undefined) {
      if (!(await accepts(this.server.port, this.server.host))) throw new FleetBrokerError(`--broker: nothing accepts connections on ${where}`);
      return;
    }
    if (this.child !== null) return;
    if (await accepts(this.server.port, this.server.host)) throw new FleetBrokerError(`--broker-command: something already listens on ${where}; impnet starts the broker itself, so stop that one first`);
    const child = spawn("/bin/sh", ["-c", this.command], { stdio: ["ignore", "ignore", "pipe"], detached: true });
    this.child = child;
    let gone: string | undefined;
    const watched = watchChild(child, "the --broker-command broker", (why) => {
      gone = why;
      if (this.child !== child) return;
      this.child = null;
      this.crashed = why;
    });
    const started = this.wall.now();
    while (!(await accepts(this.server.port, this.server.host))) {
      if (gone !== undefined) throw new FleetBrokerError(`--broker-command exited before ${where} accepted connections: ${watched.stderr() || "(it said nothing)"}`);
      if (this.wall.now() - started >= BROKER_START_MS) {
        await this.stop();
        throw new FleetBrokerError(`--broker-command: ${where} did not accept connections within ${BROKER_START_MS / 1000} s of the start`);
      }
      await new Promise<void>((resolve) => this.wall.setTimer(POLL_MS, resolve));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child !== null) await stopChild(child, this.wall, undefined, true);
  }
}
