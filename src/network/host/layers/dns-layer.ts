import { isIP } from "node:net";
import type { HostAttempt, LayerEnv, Step } from "../attempt.js";
import { untilDeadline } from "../attempt.js";
import { resolveName } from "../resolve-name.js";

/** The proxy's name when there is a proxy, else the server's; NXDOMAIN fails at once, silence waits for the deadline (R10). */
export function dnsLayer(env: LayerEnv, a: HostAttempt): Step | Promise<Step> {
  const host = a.ctx.proxy?.host ?? env.options.server.host;
  if (isIP(host) === 4) {
    a.ctx.address = host; // an address literal: nothing to ask
    return { ok: true };
  }
  return resolved(env, a, host);
}

async function resolved(env: LayerEnv, a: HostAttempt, host: string): Promise<Step> {
  const ctx = a.ctx;
  // Not bound to the interface: a local stub resolver (127.0.0.53) must stay reachable.
  const r = await resolveName(host, env.options.dns ?? {}, a.spec.deadline - env.clock.now(), a.abort.signal);
  if (r.ok) {
    ctx.address = r.address;
    return { ok: true };
  }
  if (!r.answered) return untilDeadline(a, r.detail);
  return { ok: false, detail: r.detail };
}
