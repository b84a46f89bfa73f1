import net from "node:net";
import type { AddressInfo } from "node:net";
import type { Clock, TimerId } from "../clock/clock.js";

export interface FlakyPathOptions {
  /** How long a connection lives before the path cuts it. */
  upMs: number;
  /** How long after a cut the path refuses connections (a server that is gone, then back). */
  downMs: number;
}

/**
 * The demo's unreliable path to the cloud, on loopback: a TCP relay that
 * cuts each connection after `upMs` and then refuses new ones for `downMs`,
 * so a device behind it loses its server, fails to get it back (NO_SERVER at
 * tcp, ECONNREFUSED) and returns, over and over, for the dashboard to show.
 * Refusing is real: the relay stops listening, so the kernel answers RST.
 */
export class FlakyPath {
  private readonly server: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private readonly timers = new Set<TimerId>();
  private stopped = false;
  port = 0;

  private constructor(
    private readonly target: number,
    private readonly clock: Clock,
    private readonly options: FlakyPathOptions,
  ) {
    this.server = net.createServer((client) => this.relay(client));
  }

  static async start(target: number, clock: Clock, options: FlakyPathOptions): Promise<FlakyPath> {
    const path = new FlakyPath(target, clock, options);
    await path.listen(0);
    path.port = (path.server.address() as AddressInfo).port;
    return path;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) this.clock.clearTimer(t);
    this.timers.clear();
    this.dropAll();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: net.Socket): void {
    const upstream = net.connect(this.target, "127.0.0.1");
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    const close = () => {
      if (!this.pairs.delete(pair)) return;
      client.destroy();
      upstream.destroy();
    };
    for (const s of pair) s.on("error", close).on("close", close);
    client.pipe(upstream);
    upstream.pipe(client);
    this.later(this.options.upMs, () => {
      if (this.pairs.has(pair)) void this.cut();
    });
  }

  /** Every connection dropped, and nothing listening for a while. */
  private async cut(): Promise<void> {
    this.dropAll();
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.later(this.options.downMs, () => void this.listen(this.port).catch(() => {})); // taken meanwhile: the path stays down
  }

  private dropAll(): void {
    for (const pair of this.pairs) for (const s of pair) s.destroy();
    this.pairs.clear();
  }

  private listen(port: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve();
      });
    });
  }

  private later(ms: number, fn: () => void): void {
    const t = this.clock.setTimer(ms, () => {
      this.timers.delete(t);
      fn();
    });
    this.timers.add(t);
  }
}
