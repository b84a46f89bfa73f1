import type { InterfaceId, InterfaceType } from "../constants.js";

/** Fields every timeline line has (scenario.md "Timeline"). */
interface Base {
  /** Virtual ms since the start of the run. */
  t: number;
  /** Device id, or "world". */
  device: string;
}

export interface LayerRecord {
  layer: string;
  /** Start, virtual ms since the run's start. */
  start: number;
  ms: number;
  ok: boolean;
}

export type TimelineEvent =
  | (Base & { type: "boot"; cause: "cold" | "wake" | "error" })
  | (Base & {
      type: "attempt";
      interface: InterfaceId;
      /**
       * Interface type. scenario.md lists it as `type`, which every line already
       * uses for its own kind, so the JSON field is `interfaceType`.
       */
      interfaceType: InterfaceType;
      reason: number;
      reasonName: string;
      ms: number;
      layer?: string;
      detail?: string;
      /** The attempt's full diagnostic record (R34). */
      layers: LayerRecord[];
    })
  | (Base & { type: "connected"; interface: InterfaceId })
  | (Base & { type: "disconnected"; expected: boolean; reason?: number; reasonName?: string; /** The network's cause of an unexpected loss. */ detail?: string })
  | (Base & { type: "callback"; api: "connect" | "connectwith" | "onunexpecteddisconnect"; reason: number; reasonName: string })
  | (Base & { type: "log"; text: string; error: boolean; /** Sent by the agent, not the device. */ agent?: true })
  | (Base & { type: "message"; from: "device" | "agent"; name: string; data: unknown })
  | (Base & { type: "suspend" })
  | (Base & { type: "resume" })
  | (Base & { type: "sleep"; seconds: number })
  | (Base & { type: "warning"; text: string })
  | (Base & { type: "error"; text: string; stack: string })
  | (Base & { type: "world"; set: Record<string, unknown> })
  // The cloud's own lines (impnet serve): logins, as the broker sees them.
  | (Base & { type: "online"; kind: "device" | "service"; /** The peer's address and port. */ from?: string })
  | (Base & { type: "offline"; kind: "device" | "service"; why: string })
  | (Base & { type: "refused"; from?: string; why: string });

export type TimelineType = TimelineEvent["type"];

/** Where timeline events go. Sinks must not throw back into the simulation. */
export interface TimelineSink {
  write(event: TimelineEvent): void;
  /**
   * What the sink reads of a line: "type" if nothing but its type (it counts
   * lines), "all" (the default) otherwise. For a sink that reads only types,
   * the simulator leaves out what it would build only to be read: an attempt
   * line's `layers` are then empty, its `ms` 0 and its `detail` absent.
   */
  readonly reads?: "all" | "type";
}
