import { ImpnetError } from "../errors.js";

/**
 * A settings key ConnectionManager does not know. Thrown rather than warned:
 * a device program cannot write a `warning` line, and a misspelt key (the
 * original's own example used `startupBehavior`) silently keeps the default,
 * which is always a bug. Thrown from the constructor, it becomes an `error`
 * line naming the key.
 */
export class UnknownSettingError extends ImpnetError {
  readonly setting: string;
  constructor(setting: string, known: readonly string[], suggestion: string | undefined) {
    const hint = suggestion === undefined ? `known settings: ${known.join(", ")}` : `did you mean "${suggestion}"?`;
    super("IMPNET_CM_UNKNOWN_SETTING", `ConnectionManager: unknown setting "${setting}" (${hint})`);
    this.setting = setting;
  }
}

/** A known settings key with a value of the wrong type or out of range. Nothing was set up. */
export class InvalidSettingError extends ImpnetError {
  readonly setting: string;
  constructor(setting: string, expected: string, got: string) {
    super("IMPNET_CM_INVALID_SETTING", `ConnectionManager: setting "${setting}" must be ${expected} (got ${got})`);
    this.setting = setting;
  }
}
