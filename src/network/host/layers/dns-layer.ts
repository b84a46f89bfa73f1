import type { HostAttempt, LayerEnv, Step } from "../attempt.js";
import { untilDeadline } from "../attempt.js";
import { resolveName } from "../resolve-name.js";

/** The proxy's name when there is a proxy, else the server's; NXDOMAIN fails at once, silence waits for the deadline (R10). */
export async function dnsLayer(env: LayerEnv, a: HostAttempt): Promise<Step> {
  const ctx = a.ctx;
  const host = ctx.proxy?.host ?? env.options.server.host;
  // Not bound to the interface: a local stub resolver (127.0.0.53) must stay reachable.
  const r = await resolveName(host, env.options.dns ?? {}, a.spec.deadline - env.clock.now(), a.abort.signal);
  if (r.ok) {
    ctx.address = r.address;
    return { ok: true };
  }
  if (!r.answered) return untilDeadline(a, r.detail);
  return { ok: false, detail: r.detail };
}
