import { RealClock } from "../../clock/real-clock.js";
import type { InterfaceType } from "../../constants.js";
import type { DeviceModel } from "../../scenario/types.js";
import type { LayerName } from "../layers.js";
import type { AttemptOutcome } from "../port.js";
import { ElapsedClock } from "./elapsed-clock.js";
import { HostLink } from "./host-link.js";
import type { HostLinkOptions } from "./host-link.js";

export interface Diagnosis {
  outcome: AttemptOutcome;
  /** Every layer the attempt would walk, in order, whether it got there or not. */
  planned: readonly LayerName[];
}

/**
 * One real connection attempt from this host, as a device configured so would
 * make it (R10): the same layers, the same reason code, the raw cause of the
 * failing layer. The session, if it opens, says nothing and leaves with a bare
 * DISCONNECT: no subscription, no retained status, no will published.
 */
export async function diagnose(model: DeviceModel, options: HostLinkOptions, iface: InterfaceType, timeoutMs: number): Promise<Diagnosis> {
  const clock = new ElapsedClock(new RealClock());
  const link = new HostLink(model, clock, { ...options, retryFloorMs: 0, quiet: true });
  try {
    const outcome = await new Promise<AttemptOutcome>((resolve) => {
      link.listener = {
        attemptEnded: (_id, o) => resolve(o),
        lost: () => {},
        message: () => {},
        unreadable: () => {},
      };
      const now = clock.now();
      link.startAttempt({ id: 1, iface, startedAt: now, deadline: now + timeoutMs, wps: false });
    });
    await link.leave();
    return { outcome, planned: link.plannedLayers(iface) };
  } finally {
    link.dispose();
    clock.dispose();
  }
}
