import type { HostAttempt, LayerEnv, Step } from "../attempt.js";
import { wait } from "../attempt.js";

/**
 * An interface without an address is one whose DHCP has not answered yet:
 * the layer waits for one, looking again each poll, until the deadline
 * (R10), and takes an address that arrives in time.
 */
export function addressLayer(env: LayerEnv, a: HostAttempt): Step | Promise<Step> {
  const address = env.watcher.ipv4(a.ctx.ifName);
  if (address === undefined) return awaitAddress(env, a);
  a.ctx.localAddress = address;
  return { ok: true };
}

async function awaitAddress(env: LayerEnv, a: HostAttempt): Promise<Step> {
  const ctx = a.ctx;
  const detail = `${ctx.ifName}: no IPv4 address`;
  for (;;) {
    const address = env.watcher.ipv4(ctx.ifName);
    if (address !== undefined) {
      ctx.localAddress = address;
      return { ok: true };
    }
    if (a.abort.signal.aborted) return { ok: false, detail };
    a.pendingDetail = detail;
    await wait(env.clock, a, env.pollMs);
  }
}
