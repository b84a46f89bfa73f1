/**
 * Every error impnet throws carries a stable `code`; tests and callers match on
 * the code, never on the message text.
 */
export class ImpnetError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A device API call got an argument it does not accept. Nothing was changed. */
export class InvalidArgumentError extends ImpnetError {
  readonly api: string;
  readonly argument: string;
  constructor(api: string, argument: string, expected: string, got: unknown) {
    super("IMPNET_INVALID_ARGUMENT", `${api}: ${argument} must be ${expected} (got ${describe(got)})`);
    this.api = api;
    this.argument = argument;
  }
}

/** The call is valid in general but not in the device's current state or policy. */
export class InvalidStateError extends ImpnetError {
  readonly api: string;
  constructor(api: string, message: string) {
    super("IMPNET_INVALID_STATE", `${api}: ${message}`);
    this.api = api;
  }
}

/** A message for the agent or device is larger than the imp carries (R33). */
export class MessageTooLargeError extends ImpnetError {
  readonly bytes: number;
  readonly limit: number;
  constructor(api: string, bytes: number, limit: number) {
    super("IMPNET_MESSAGE_TOO_LARGE", `${api}: message is ${bytes} bytes, over the ${limit}-byte limit`);
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** A scenario file failed validation; `issues` holds every bad field with its path. */
export class ScenarioError extends ImpnetError {
  readonly issues: readonly string[];
  constructor(file: string, issues: readonly string[]) {
    super("IMPNET_SCENARIO_INVALID", `${file}: invalid scenario\n${issues.map((i) => `  ${i}`).join("\n")}`);
    this.issues = issues;
  }
}

/** Too many timers or turns at one instant without time advancing: something is looping. */
export class RunawayTimersError extends ImpnetError {
  constructor(at: number, limit: number) {
    super("IMPNET_RUNAWAY_TIMERS", `more than ${limit} timers ran at virtual time ${at} ms without time advancing`);
  }
}

/** One program turn ran past its wall-time limit and was stopped (an endless loop, most likely). */
export class RunawayTurnError extends ImpnetError {
  constructor(limitMs: number) {
    super("IMPNET_RUNAWAY_TURN", `the program ran for ${limitMs / 1000} s in one turn without returning (an endless loop?); the turn was stopped`);
    this.stack = `${this.name}: ${this.message}`; // the frames would be impnet's watchdog, not the program's
  }
}

/** A program called the device API after it stopped (deep sleep, an error): nothing more of it runs. */
export class ProgramStoppedError extends ImpnetError {
  constructor(api: string) {
    super("IMPNET_PROGRAM_STOPPED", `${api}: the program has stopped (deep sleep or error); the rest of this turn does not run`);
  }
}

export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "function") return "a function";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "object":
      return "an object";
    case "symbol":
      return value.toString();
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    default:
      return "undefined";
  }
}
