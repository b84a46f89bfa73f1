import fc from "fast-check";

/*
 * Shared by the hostile-input fuzzers (issue "Hardening", point 4): one fixed
 * seed, a run budget and a time cap per property, and the values a hostile
 * caller throws at an API.
 */

/**
 * Every property runs with this seed: a failure reproduces run after run.
 * IMPNET_FUZZ_SEED=<n> picks another, and IMPNET_FUZZ_SCALE=<k> multiplies
 * every run budget and time cap, for a longer hunt by hand.
 */
export const SEED = process.env.IMPNET_FUZZ_SEED === undefined ? 0x1_3a7d : Number(process.env.IMPNET_FUZZ_SEED);
const SCALE = process.env.IMPNET_FUZZ_SCALE === undefined ? 1 : Number(process.env.IMPNET_FUZZ_SCALE);

/** A test's own timeout: vitest's default, or longer for a scaled-up hunt. */
export const TEST_MS = SCALE <= 1 ? 5000 : Math.round(8000 * SCALE);

/** Runs tried per property, by name (printed with IMPNET_FUZZ_REPORT=1). */
const tried = new Map<string, number>();

/**
 * Checks `property` with the fixed seed, at most `numRuns` inputs and at most
 * `ms` of wall time (then it stops, passing: the bound keeps a slow machine
 * green). Throws fast-check's report, counterexample and seed, on failure.
 */
export async function fuzz<Ts>(
  name: string,
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
  budget: { numRuns: number; ms: number; timeout?: number },
): Promise<void> {
  const params: fc.Parameters<Ts> = {
    seed: SEED,
    numRuns: Math.round(budget.numRuns * SCALE),
    interruptAfterTimeLimit: Math.round(budget.ms * SCALE),
    markInterruptAsFailure: false,
    ...(budget.timeout === undefined ? {} : { timeout: budget.timeout }),
  };
  const details = await fc.check(property as fc.IAsyncProperty<Ts>, params);
  if (details.failed) {
    const got = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${await fc.asyncDefaultReportMessage(details)}\nGot: ${got}`);
  }
  tried.set(name, details.numRuns);
}

/** `IMPNET_FUZZ_REPORT=1 npx vitest run test/fuzz`: how many inputs each property tried. */
export function reportTried(file: string): void {
  if (process.env.IMPNET_FUZZ_REPORT !== "1") return;
  const total = [...tried.values()].reduce((a, b) => a + b, 0);
  console.log(`[fuzz] ${file}: ${total} inputs ${JSON.stringify(Object.fromEntries(tried))}`);
}

/** A value nested `levels` deep, alternating arrays and objects. */
export function nested(levels: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
}

/** Names that reach Object.prototype rather than a field when used as keys. */
export const PROTOTYPE_NAMES = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "__defineGetter__"] as const;

/** An object whose own key (as JSON.parse makes it, even `__proto__`) holds `value`. */
export function ownKey(key: string, value: unknown): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  return o;
}

/** Numbers and strings at the edges: huge, negative, not numbers, number-like text, paths, control characters. */
export const edgeValues: readonly unknown[] = [
  0, -0, -1, 1, 2, 0.5, -0.5, 1e-300, 1e15, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 2 ** 31, -(2 ** 31) - 1, 65535, 65536,
  NaN, Infinity, -Infinity,
  "", " ", "0", "-1", "NaN", "Infinity", "-Infinity", "1e999", "1e-999", "0x10", "1_000", "١٢", "9".repeat(400), "x".repeat(5000),
  "\u0000", "\n", "\ud800", "%s%n", "${x}", "../../../../../../etc/passwd", "/dev/null", ".", "..",
  ...PROTOTYPE_NAMES,
  true, false, null, undefined, [], {},
];

/** Anything a hostile caller might pass: JSON values, edge values, deep nesting, own `__proto__` keys, non-JSON objects. */
export function hostile(options: { deep?: boolean; nonJson?: boolean } = {}): fc.Arbitrary<unknown> {
  const arbs: fc.WeightedArbitrary<unknown>[] = [
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 4, arbitrary: fc.constantFrom(...edgeValues) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PROTOTYPE_NAMES), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => ownKey(k, v)) },
  ];
  if (options.deep !== false) arbs.push({ weight: 1, arbitrary: fc.integer({ min: 20, max: 3000 }).map((n) => nested(n)) });
  if (options.nonJson === true) {
    arbs.push({
      weight: 2,
      arbitrary: fc.anything({
        maxDepth: 2,
        withBigInt: true,
        withBoxedValues: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withObjectString: true,
        withSparseArray: true,
        withTypedArray: true,
      }),
    });
  }
  return fc.oneof(...arbs);
}

/** What an error is, for a failure message. */
export function explain(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}(${(e as { code?: unknown }).code === undefined ? "no code" : String((e as { code?: unknown }).code)}): ${e.message.slice(0, 300)}\n${e.stack ?? ""}`;
  return `a thrown ${typeof e}: ${String(e)}`;
}

/** Keys added to Object.prototype by a run (prototype pollution): must stay empty. */
export function prototypeKeys(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}
