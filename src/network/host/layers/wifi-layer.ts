import type { HostAttempt, LayerEnv, Step } from "../attempt.js";
import { wait } from "../attempt.js";
import { checkSsid, isWireless, readAssociation } from "../wifi-state.js";
import { linkLayer } from "./link-layer.js";

/** How often an interface that is not associated yet is asked again: iw is a process, not a file read. */
const ASSOCIATION_POLL_MS = 1_000;

/**
 * wl0's join (R10): the carrier, and on a real wireless interface the network
 * it is associated with, which must be the one the device is configured for
 * (imp.setwificonfiguration, or connectwith's wificonfig for this attempt,
 * R18). Not associated yet is a network that has not answered: the layer asks
 * again until the deadline. An interface that is not wireless (a veth or a
 * cable configured as wl0) has only its carrier to read.
 */
export async function wifiLayer(env: LayerEnv, a: HostAttempt): Promise<Step> {
  const carrier = linkLayer(env, "wifi", a.ctx);
  if (!carrier.ok || !isWireless(a.ctx.ifName, env.options.sysRoot)) return carrier;
  const wanted = a.spec.wifi?.ssid ?? env.device.wifi?.ssid;
  for (;;) {
    const options: Parameters<typeof readAssociation>[1] = { signal: a.abort.signal, timeoutMs: Math.max(1, a.spec.deadline - env.clock.now()) };
    if (env.options.iw !== undefined) options.iw = env.options.iw;
    const association = await readAssociation(a.ctx.ifName, options);
    if (association.associated) return checkSsid(association, wanted);
    if (a.abort.signal.aborted) return { ok: false, detail: association.detail };
    a.pendingDetail = association.detail;
    await wait(env.clock, a, ASSOCIATION_POLL_MS);
    if (a.done) return { ok: false, detail: association.detail };
  }
}
