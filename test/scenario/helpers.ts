import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { ScenarioError } from "../../src/errors.js";
import { parseScenario } from "../../src/scenario/load.js";
import type { Scenario } from "../../src/scenario/types.js";

export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** A minimal valid file; tests spread their changes over it. */
export function minimal(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { duration: "20m", devices: [{ id: "dev-a", program: "./device.mjs" }], ...extra };
}

export function parse(raw: unknown): Scenario {
  return parseScenario(raw, "test.yaml", FIXTURES);
}

/** The issue lines parse() rejects `raw` with. */
export function issuesOf(raw: unknown): readonly string[] {
  try {
    parse(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).code).toBe("IMPNET_SCENARIO_INVALID");
    return (error as ScenarioError).issues;
  }
  throw new Error("expected the scenario to be rejected");
}
