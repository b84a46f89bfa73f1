import type { ErrorPolicy, InterfaceType, WaitPolicy } from "../constants.js";
import type { AttemptSpec } from "../network/port.js";

/** Why the device is trying to connect right now. */
export type Mode =
  | "none"
  | "program" // a RETURN_ON_ERROR connect()/connectwith(): one attempt, outcome to the callback slot
  | "recovery" // silent recovery after an unexpected loss (R23)
  | "suspend" // SUSPEND_ON_ERROR: the program waits, or is suspended, until connected (R20)
  | "boot" // cold boot, before the program starts (R25)
  | "wake"; // a wake inside R20's deep-sleep cycle: the program does not run

export type Phase = "idle" | "attempting" | "connected" | "sleeping";

/** The attempt in progress: exactly what the network is asked to run. */
export type Attempt = AttemptSpec;

export interface Slot {
  /** Opaque handle of the program's callback; the driver maps it to the function. */
  cb: number;
  api: "connect" | "connectwith";
}

export interface Policy {
  error: ErrorPolicy;
  wait: WaitPolicy;
  timeoutS: number;
}

/** The whole connection state of one device: plain data, so it can be tested exhaustively. */
export interface ConnState {
  phase: Phase;
  mode: Mode;
  attempt: Attempt | null;
  /** End of the retry window of recovery, suspend, boot and wake modes. */
  windowEnd: number;
  slot: Slot | null;
  policy: Policy;
  /** The program is suspended (R20): its event loop is frozen. */
  suspended: boolean;
  /** The program must start afresh once connected (connected after an R20 deep sleep). */
  restartOnConnect: boolean;
  /** Interface sequence (R16, R17) and the index of the current interface in it. */
  sequence: InterfaceType[];
  current: number;
  connectedIface: InterfaceType | null;
  /** The last reason code; null while connected or before any attempt. */
  lastError: number | null;
  wpsArmed: boolean;
  /** R15: the quirk is enabled, and whether a NO_SERVER failure has armed it. */
  stickyQuirk: boolean;
  stickyArmed: boolean;
  nextAttemptId: number;
}

export const DEFAULT_POLICY: Policy = { error: 0, wait: 0, timeoutS: 30 };
