import net from "node:net";
import type { Socket } from "node:net";
import type { HostAttempt, LayerEnv, Step } from "../attempt.js";
import { untilDeadline } from "../attempt.js";

/** TCP to the server, or to the proxy as the proxy layer's first step; through a proxy, the server's verdict is the proxy's 5xx. */
export async function tcpLayer(env: LayerEnv, a: HostAttempt, what: "server" | "proxy" = "server"): Promise<Step> {
  const ctx = a.ctx;
  if (what === "server" && ctx.proxy !== undefined) return ctx.proxyServerFailure === undefined ? { ok: true } : { ok: false, detail: ctx.proxyServerFailure };
  const port = what === "proxy" ? ctx.proxy!.port : env.options.server.port;
  const r = await connectTcp(ctx.address!, port, env.options.sourceAddress ?? ctx.localAddress, a.abort.signal);
  if (!r.ok) {
    if (r.code === "ETIMEDOUT") return untilDeadline(a, `${what} ${ctx.address}:${port}: no answer (ETIMEDOUT)`);
    return { ok: false, detail: `${what} ${ctx.address}:${port}: ${r.code}` };
  }
  // Later failures arrive as 'close' with the code kept by the session; an unheard 'error' would crash.
  r.socket.on("error", () => {});
  ctx.tcp = r.socket;
  ctx.stream = r.socket;
  return { ok: true };
}

type TcpResult = { ok: true; socket: Socket } | { ok: false; code: string };

/** A TCP connection bound to the interface's address (the source address; egress follows the host's routes). */
function connectTcp(host: string, port: number, localAddress: string | undefined, signal: AbortSignal): Promise<TcpResult> {
  return new Promise((resolve) => {
    const options: net.TcpNetConnectOpts = { host, port, noDelay: true };
    if (localAddress !== undefined) options.localAddress = localAddress;
    const socket = net.connect(options);
    // destroy() emits only 'close': settle here, or an aborted walk waits forever.
    const onAbort = () => {
      socket.destroy();
      done({ ok: false, code: "aborted" });
    };
    signal.addEventListener("abort", onAbort, { once: true });
    let settled = false;
    const done = (r: TcpResult) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      socket.off("error", onError);
      resolve(r);
    };
    const onError = (e: NodeJS.ErrnoException) => done({ ok: false, code: e.code ?? e.message });
    socket.once("connect", () => done({ ok: true, socket }));
    socket.once("error", onError);
  });
}
