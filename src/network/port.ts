import type { InterfaceType } from "../constants.js";
import type { LayerRecord, TimelineEvent } from "../timeline/events.js";

/** One connection attempt as the connection layer asks for it. */
export interface AttemptSpec {
  id: number;
  iface: InterfaceType;
  startedAt: number;
  /** Virtual or wall ms when the attempt must end; the layer in progress then fails with its code (R07, R10). */
  deadline: number;
  wps: boolean;
  /** connectwith's per-connection settings (R18): used for this attempt only. */
  wifi?: { ssid: string; key: string };
}

export interface AttemptOutcome {
  ok: boolean;
  /** Reason code: SERVER_CONNECTED on success, the failing layer's code otherwise. */
  reason: number;
  /** The failing layer (absent on success). */
  layer?: string;
  /** The raw cause: errno, HTTP status, session refusal, "no answer". */
  detail?: string;
  layers: LayerRecord[];
  /** Credentials WPS obtained (R30), to be stored. */
  wpsNetwork?: { ssid: string; key: string };
}

export type Outbound =
  | { kind: "log"; text: string; error: boolean }
  | { kind: "message"; name: string; data: unknown; bytes: number };

export type SendResult = "sent" | "wouldblock";

/** What the network tells the connection about a live session. */
export interface LinkListener {
  attemptEnded(id: number, outcome: AttemptOutcome): void;
  /** The session died: link loss, reset, or keepalive gave up (R27). */
  lost(reason: number, detail: string): void;
  /** The agent sent the device a message. */
  message(name: string, data: unknown): void;
  /** Something arrived for the device that is not a message it can read: said, and dropped. */
  unreadable(why: string): void;
}

/**
 * The Network port: the network as one device sees it. It runs attempts layer by
 * layer and carries a session's data; it knows nothing of callbacks or policies.
 * The simulator and the host stack both implement it.
 */
export interface DeviceLink {
  /** The live session's local IPv4 address, where the network knows it (the host stack's is real); undefined otherwise. */
  readonly address?: string | undefined;
  /** False where the network cannot run WPS at all (R30): the host stack has no way to press the button. */
  readonly wps?: boolean;
  startAttempt(spec: AttemptSpec): void;
  setDeadline(id: number, deadline: number): void;
  /** Cancels an attempt; describes the layer that was in progress. */
  abortAttempt(id: number): AttemptOutcome;
  send(message: Outbound, onAck?: () => void): SendResult;
  /** Calls back once everything sent so far has been acknowledged. */
  whenDrained(callback: () => void): void;
  closeSession(): void;
  /**
   * Every line of the device's timeline, for a network that tells the cloud
   * what only the device saw (the host stack reports its attempts after each
   * connect); the simulator has no cloud to tell.
   */
  readonly record?: (line: TimelineEvent) => void;
}
