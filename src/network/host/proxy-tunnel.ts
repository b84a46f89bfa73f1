import type { Socket } from "node:net";

export type TunnelResult =
  | { kind: "open" }
  /** The proxy answered with a status other than 2xx. */
  | { kind: "status"; status: number; text: string }
  /** The proxy closed, failed, or answered something that is not HTTP. */
  | { kind: "broken"; detail: string };

const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Asks an HTTP proxy, over a socket already connected to it, for a tunnel to
 * `target` and reads its status line ourselves: HTTP client libraries and
 * mqtt.js' WebSocket agents hide a 407 behind a generic error. The
 * Authorization header is built here and never leaves this function.
 */
export function openTunnel(socket: Socket, target: { host: string; port: number }, auth: { user?: string; password?: string }, signal: AbortSignal): Promise<TunnelResult> {
  const authority = target.host.includes(":") ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  let request = `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n`;
  if (auth.user !== undefined) {
    const token = Buffer.from(`${auth.user}:${auth.password ?? ""}`).toString("base64");
    request += `Proxy-Authorization: Basic ${token}\r\n`;
  }
  request += "\r\n";

  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0);
    const finish = (result: TunnelResult) => {
      socket.off("data", onData);
      socket.off("close", onClose);
      socket.off("error", onError);
      signal.removeEventListener("abort", onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) {
        if (buffered.length > MAX_HEADER_BYTES) finish({ kind: "broken", detail: "proxy answer too long to be HTTP" });
        else if (!looksLikeHttp(buffered)) finish({ kind: "broken", detail: "proxy answered something that is not HTTP" });
        return;
      }
      socket.pause();
      const rest = buffered.subarray(end + 4);
      // Bytes past the headers already belong to the tunnel.
      if (rest.length > 0) socket.unshift(rest);
      const statusLine = buffered.subarray(0, buffered.indexOf("\r\n")).toString("latin1");
      const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
      if (m === null) return finish({ kind: "broken", detail: "proxy answered something that is not HTTP" });
      const status = Number(m[1]);
      if (status >= 200 && status < 300) return finish({ kind: "open" });
      finish({ kind: "status", status, text: (m[2] ?? "").slice(0, 80) });
    };
    const onClose = () => finish({ kind: "broken", detail: "proxy closed the connection without answering" });
    const onError = (e: NodeJS.ErrnoException) => finish({ kind: "broken", detail: `proxy connection failed (${e.code ?? e.message})` });
    const onAbort = () => finish({ kind: "broken", detail: "cancelled" });
    socket.on("data", onData);
    socket.once("close", onClose);
    socket.once("error", onError);
    signal.addEventListener("abort", onAbort, { once: true });
    socket.write(request);
  });
}

function looksLikeHttp(prefix: Buffer): boolean {
  const head = prefix.subarray(0, 5).toString("latin1");
  return "HTTP/".startsWith(head) || head.startsWith("HTTP/");
}
