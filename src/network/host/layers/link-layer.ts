import * as C from "../../../constants.js";
import type { InterfaceType } from "../../../constants.js";
import type { AttemptContext, LayerEnv, Step } from "../attempt.js";

/** The interface's carrier (link, wifi, modem, ppp): from /sys, read as the attempt starts (R10), one read for every attempt starting in this turn. */
export function linkLayer(env: LayerEnv, iface: InterfaceType, ctx: AttemptContext): Step {
  if (ctx.ifName === "") return { ok: false, detail: `no host interface is configured for ${C.INTERFACE_IDS[iface]}` };
  const state = env.watcher.link(ctx.ifName);
  return state.link ? { ok: true } : { ok: false, detail: state.linkDetail ?? `${ctx.ifName}: no link` };
}
