import { ImpnetError } from "../errors.js";

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

// `ms` must come before `m` in the alternation, or "500ms" would read as 500m + "s".
const PART = /(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)/y;

export const DURATION_HINT = 'expected a duration: milliseconds, or a string like "500ms", "1.5s", "2m30s", "1h"';

/** A value that is not a duration (scenario.md "Durations"). */
export class InvalidDurationError extends ImpnetError {
  constructor(message: string) {
    super("IMPNET_INVALID_DURATION", message);
  }
}

/**
 * A scenario duration in whole milliseconds: a number of ms, or one or more
 * `<number><unit>` parts. Results are rounded to the millisecond because the
 * virtual clock counts whole ms and `1.1s` is not exact in binary.
 */
export function parseDuration(value: unknown): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new InvalidDurationError(`${DURATION_HINT} (got ${value})`);
    return Math.round(value);
  }
  if (typeof value !== "string") throw new InvalidDurationError(DURATION_HINT);
  const text = value.trim();
  if (text === "") throw new InvalidDurationError(`${DURATION_HINT} (got "")`);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const at = PART.lastIndex;
    const match = PART.exec(text);
    if (match === null) {
      throw new InvalidDurationError(`${DURATION_HINT} (got ${JSON.stringify(value)}: cannot read ${JSON.stringify(text.slice(at))})`);
    }
    const [, amount = "", unit = ""] = match;
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  if (!Number.isFinite(total)) throw new InvalidDurationError(`${DURATION_HINT} (got ${JSON.stringify(value)}: too large)`);
  return Math.round(total);
}
