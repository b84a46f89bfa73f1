import * as C from "../../../constants.js";
import type { InterfaceType } from "../../../constants.js";
import type { AttemptContext, LayerEnv, Step } from "../attempt.js";
import { readLink } from "../interface-state.js";

/** The interface's carrier (link, wifi, modem, ppp): read from /sys each attempt (R10). */
export function linkLayer(env: LayerEnv, iface: InterfaceType, ctx: AttemptContext): Step {
  if (ctx.ifName === "") return { ok: false, detail: `no host interface is configured for ${C.INTERFACE_IDS[iface]}` };
  const state = readLink(ctx.ifName, env.options.sysRoot);
  return state.link ? { ok: true } : { ok: false, detail: state.linkDetail ?? `${ctx.ifName}: no link` };
}
