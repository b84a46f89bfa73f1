import * as C from "../../../constants.js";
import type { HostAttempt, LayerEnv, Step } from "../attempt.js";
import { wait } from "../attempt.js";
import { readModem } from "../modem-state.js";
import type { ModemState } from "../modem-state.js";

/** How often a registration that is still searching is read again: mmcli is a process, not a file read. */
const REGISTRATION_POLL_MS = 1_000;

/**
 * cell0's first three layers from ModemManager (mmcli), read afresh each
 * attempt (R10): the modem, its SIM, its registration. The modem layer reads
 * the state once; the SIM layer judges that same reading.
 */
export async function modemLayer(env: LayerEnv, a: HostAttempt): Promise<Step> {
  const state = await read(env, a);
  a.ctx.modem = state;
  return state.modem.ok ? { ok: true } : { ok: false, detail: state.modem.detail };
}

export function simLayer(a: HostAttempt): Step {
  const sim = a.ctx.modem?.sim ?? { ok: false as const, detail: "not read: no modem" };
  return sim.ok ? { ok: true } : { ok: false, detail: sim.detail };
}

/**
 * Registered (home or roaming) passes; denied fails at once with its own
 * code; searching is a network that has not answered yet, so the layer looks
 * again until the deadline (R10).
 */
export async function registrationLayer(env: LayerEnv, a: HostAttempt): Promise<Step> {
  let state = a.ctx.modem;
  for (;;) {
    const r = state?.registration ?? { ok: false as const, denied: false, detail: "not read: no modem" };
    if (r.ok) return { ok: true };
    if (r.denied) return { ok: false, reason: C.REGISTRATION_DENIED, detail: r.detail };
    if (a.abort.signal.aborted) return { ok: false, detail: r.detail };
    a.pendingDetail = r.detail;
    await wait(env.clock, a, REGISTRATION_POLL_MS);
    if (a.done) return { ok: false, detail: r.detail };
    state = a.ctx.modem = await read(env, a);
  }
}

function read(env: LayerEnv, a: HostAttempt): Promise<ModemState> {
  const options: Parameters<typeof readModem>[0] = { signal: a.abort.signal, timeoutMs: Math.max(1, a.spec.deadline - env.clock.now()) };
  if (env.options.mmcli !== undefined) options.mmcli = env.options.mmcli;
  return readModem(options);
}
