import net from "node:net";
import tls from "node:tls";
import type { HostAttempt, LayerEnv, Step } from "../attempt.js";

/** For mqtts:// only: TLS over the socket impnet opened, verification always on (R12: a failure here is NO_SERVER). */
export function tlsLayer(env: LayerEnv, a: HostAttempt): Promise<Step> {
  const ctx = a.ctx;
  const host = env.options.server.host;
  return new Promise((resolve) => {
    // `host` is what the certificate is checked against (an IP address too); SNI (servername) may only carry a name.
    const options: tls.ConnectionOptions = { socket: ctx.stream, host, rejectUnauthorized: true };
    if (net.isIP(host) === 0) options.servername = host;
    if (env.options.ca !== undefined) options.ca = env.options.ca;
    const socket = tls.connect(options);
    ctx.stream = socket;
    const onAbort = () => socket.destroy();
    a.abort.signal.addEventListener("abort", onAbort, { once: true });
    const done = (step: Step) => {
      a.abort.signal.removeEventListener("abort", onAbort);
      socket.off("error", onError);
      socket.off("close", onClose);
      resolve(step);
    };
    const onError = (e: NodeJS.ErrnoException) => done({ ok: false, detail: `TLS: ${e.code ?? "error"}: ${e.message}` });
    const onClose = () => done({ ok: false, detail: "TLS: the server closed the connection during the handshake" });
    socket.once("secureConnect", () => {
      socket.on("error", () => {}); // as for TCP: the session reads the cause from 'close'
      done({ ok: true });
    });
    socket.once("error", onError);
    socket.once("close", onClose);
  });
}
