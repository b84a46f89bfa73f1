/** Field names whose values are secrets: never printed, in timelines or errors. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(["password", "key"]);
export const REDACTED = "[redacted]";

/**
 * A scenario event's changes as the timeline shows them: passwords and WiFi
 * keys never reach a timeline, even when the scenario file holds them.
 */
export function redactSet(set: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(set)) {
    const last = path.slice(path.lastIndexOf(".") + 1);
    out[path] = SECRET_FIELDS.has(last) ? REDACTED : redactValue(value);
  }
  return out;
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELDS.has(k) ? REDACTED : redactValue(v);
  return out;
}
