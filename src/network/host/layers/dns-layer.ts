import type { HostAttempt, LayerEnv, Step } from "../attempt.js";
import { untilDeadline } from "../attempt.js";
import { resolveName } from "../resolve-name.js";
import type { ResolveResult } from "../resolve-name.js";

/** The proxy's name when there is a proxy, else the server's; NXDOMAIN fails at once, silence waits for the deadline (R10). */
export function dnsLayer(env: LayerEnv, a: HostAttempt): Step | Promise<Step> {
  const host = a.ctx.proxy?.host ?? env.options.server.host;
  // Not bound to the interface: a local stub resolver (127.0.0.53) must stay reachable.
  const r = resolveName(host, env.options.dns ?? {}, a.spec.deadline - env.clock.now(), a.abort.signal);
  return r instanceof Promise ? r.then((answer) => verdict(a, answer)) : verdict(a, r);
}

function verdict(a: HostAttempt, r: ResolveResult): Step | Promise<Step> {
  if (r.ok) {
    a.ctx.address = r.address;
    return { ok: true };
  }
  if (!r.answered) return untilDeadline(a, r.detail);
  return { ok: false, detail: r.detail };
}
