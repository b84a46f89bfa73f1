import http from "node:http";
import { isIP } from "node:net";
import type { AddressInfo } from "node:net";
import type { Clock, TimerId } from "../../clock/clock.js";
import { dashboardHtml } from "../../report/dashboard-page.js";
import { LOGS_PER_DEVICE, MINUTES } from "./device-board.js";
import type { DeviceBoard } from "./device-board.js";

/** A comment line this often keeps an idle stream open through proxies and shows a dead page the door. */
export const HEARTBEAT_MS = 15_000;
/** A page that has stopped reading is let go once this much waits for it (it reconnects and gets a fresh snapshot). */
export const STREAM_BACKLOG_BYTES = 1 << 20;

/**
 * The dashboard, on a port of its own: the page (static, scripts inlined),
 * one Server-Sent Events stream of the board's changes, and each device's
 * history as JSON for the page that shows it. Read-only: GET and
 * HEAD only, nothing to change. A request whose Host is a name other than
 * localhost is refused, so a web page elsewhere cannot reach it through a name
 * that resolves to this machine (DNS rebinding); an address literal is
 * accepted, which is how a dashboard bound beyond loopback is reached.
 */
export interface DashboardOptions {
  board: DeviceBoard;
  clock: Clock;
  /** Wall ms at the cloud's t = 0: the page shows local times. */
  origin: number;
  host: string;
  port: number;
}

export class DashboardServer {
  private readonly streams = new Set<http.ServerResponse>();
  private heartbeat: TimerId | null = null;
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private readonly page = dashboardHtml();
  /** Where it listens, once started. */
  url = "";
  private port = 0;

  private constructor(private readonly options: DashboardOptions) {}

  static async start(options: DashboardOptions): Promise<DashboardServer> {
    const self = new DashboardServer(options);
    await new Promise<void>((resolve, reject) => {
      self.server.once("error", reject);
      self.server.listen(options.port, options.host, () => resolve());
    });
    const { port } = self.server.address() as AddressInfo;
    self.port = port;
    self.url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}/`;
    return self;
  }

  async stop(): Promise<void> {
    if (this.heartbeat !== null) this.options.clock.clearTimer(this.heartbeat);
    for (const res of this.streams) res.end();
    this.streams.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections(); // a page that stopped reading, or a half-sent request, must not hold serve's exit
    await closed;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (!this.hostAllowed(req.headers.host)) return void res.writeHead(421, { "Content-Type": "text/plain" }).end("misdirected request: use the address impnet serve printed\n");
    if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain" }).end("read-only\n");
    const path = (req.url ?? "/").split("?")[0]; // compared as text: a target the URL parser refuses must not throw here
    if (path === "/") return void res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }).end(req.method === "HEAD" ? undefined : this.page);
    if (path === "/events" && req.method === "GET") return this.stream(res);
    if (path === "/device") return this.device(req, res);
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
  }

  private hostAllowed(host: string | undefined): boolean {
    const m = /^(\[[0-9a-f:.]+\]|[^:]+):(\d+)$/i.exec(host ?? "");
    if (m === null || m[2] !== String(this.port)) return false;
    const name = m[1]!.replace(/^\[|\]$/g, "").toLowerCase();
    return name === "localhost" || isIP(name) !== 0;
  }

  private stream(res: http.ServerResponse): void {
    res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", Connection: "keep-alive" });
    const send = (event: string, data: unknown) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      if (res.writableLength > STREAM_BACKLOG_BYTES) res.destroy();
    };
    // `now`: the page's clock may not be this machine's; `limits`: what the board keeps, which the page keeps too.
    send("snapshot", { origin: this.options.origin, now: this.options.clock.now(), limits: { logs: LOGS_PER_DEVICE, minutes: MINUTES }, ...this.options.board.snapshot() });
    const unsubscribe = this.options.board.subscribe((u) => send(u.kind, u));
    this.streams.add(res);
    res.on("close", () => {
      unsubscribe();
      this.streams.delete(res);
    });
    this.heartbeat ??= this.options.clock.setTimer(HEARTBEAT_MS, () => this.beat());
  }

  /** One device's history (`/device?id=…`): its kept log lines and reported lines, as JSON. */
  private device(req: http.IncomingMessage, res: http.ServerResponse): void {
    const query = (req.url ?? "").slice((req.url ?? "").indexOf("?") + 1);
    const id = new URLSearchParams(query).get("id");
    const history = id === null ? null : this.options.board.history(id);
    if (history === null) return void res.writeHead(404, { "Content-Type": "text/plain" }).end("no such device\n");
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(req.method === "HEAD" ? undefined : JSON.stringify(history));
  }

  private beat(): void {
    this.heartbeat = null;
    for (const res of this.streams) res.write(": still here\n\n");
    if (this.streams.size > 0) this.heartbeat = this.options.clock.setTimer(HEARTBEAT_MS, () => this.beat());
  }
}
