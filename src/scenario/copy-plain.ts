/**
 * A deep copy of plain data (objects, arrays, primitives), as structuredClone
 * makes of it, except that strings are shared: they cannot change, and a
 * fleet's device models are mostly strings (ids, program paths, SSIDs) that
 * structuredClone would copy once per device. Key order and keys holding
 * undefined are kept.
 */
export function copyPlain<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyPlain((value as Record<string, unknown>)[key]);
  return out as T;
}
