import * as C from "../../../constants.js";
import type { HostAttempt, LayerEnv, Step } from "../attempt.js";
import { openTunnel } from "../proxy-tunnel.js";
import { tcpLayer } from "./tcp-layer.js";

/** TCP to the proxy, then CONNECT with BasicAuth (R11): refused or broken → NO_PROXY, 4xx → NOT_AUTHORISED, 5xx → the server's failure. */
export async function proxyLayer(env: LayerEnv, a: HostAttempt): Promise<Step> {
  const ctx = a.ctx;
  const proxy = ctx.proxy!;
  const tcp = await tcpLayer(env, a, "proxy");
  if (!tcp.ok) return { ok: false, reason: C.NO_PROXY, detail: tcp.detail };
  const auth: { user?: string; password?: string } = {};
  if (proxy.user !== undefined) auth.user = proxy.user;
  if (proxy.password !== undefined) auth.password = proxy.password;
  const r = await openTunnel(ctx.tcp!, env.options.server, auth, a.abort.signal);
  switch (r.kind) {
    case "open":
      return { ok: true };
    case "broken":
      return { ok: false, reason: C.NO_PROXY, detail: r.detail };
    case "status": {
      const detail = `proxy answered HTTP ${r.status}${r.text === "" ? "" : ` ${r.text}`}`;
      // R11 makes every 4xx NOT_AUTHORISED; the detail says which refusal it was, so a 403 is not read as a wrong password.
      if (r.status >= 400 && r.status < 500) return { ok: false, reason: C.NOT_AUTHORISED, detail: `${detail}: ${refusal(r.status)}` };
      if (r.status >= 500) {
        // The proxy did its part; the server behind it is what failed: the tcp layer reports it.
        ctx.proxyServerFailure = detail;
        return { ok: true };
      }
      return { ok: false, reason: C.NO_PROXY, detail };
    }
  }
}

function refusal(status: number): string {
  if (status === 401 || status === 407) return "the proxy refused the credentials";
  if (status === 403) return "access denied by the proxy's own rules, not the credentials";
  return "the proxy refused the request";
}
