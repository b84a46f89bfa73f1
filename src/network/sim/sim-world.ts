import type { Clock } from "../../clock/clock.js";
import type { DeviceModel, LayerTimings, WorldModel } from "../../scenario/types.js";
import type { Outbound } from "../port.js";
import { InsertionList } from "./insertion-list.js";
import { SimLink } from "./sim-link.js";

/** The cloud end of the simulated links. */
export interface SimServer {
  /** Data from a device reached the server. */
  receive(deviceId: string, message: Outbound): void;
  /** A device's session opened or closed, as the server sees it. */
  online(deviceId: string, online: boolean): void;
}

/**
 * The simulated world: one model every device's link reads, and the links that
 * must re-read it when a scenario event changes it.
 */
export class SimWorld {
  readonly attempting = new InsertionList<SimLink>();
  readonly sessions = new Set<SimLink>();
  private readonly links = new Map<string, SimLink>();

  constructor(
    readonly model: WorldModel,
    readonly timings: LayerTimings,
    readonly clock: Clock,
    readonly server: SimServer,
    /** Whether attempt outcomes carry their layer records and details: false when the timeline's sink reads only line types. */
    readonly records = true,
  ) {}

  link(device: DeviceModel): SimLink {
    const link = new SimLink(device, this, this.clock);
    this.links.set(device.id, link);
    return link;
  }

  linkOf(deviceId: string): SimLink | undefined {
    return this.links.get(deviceId);
  }

  /** Every link re-reads the world; called after the model changed. */
  changed(): void {
    // Snapshot: a link that loses its session may start a new attempt while we iterate.
    for (const link of [...this.attempting.snapshot(), ...this.sessions]) link.worldChanged();
  }
}
