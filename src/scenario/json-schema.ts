import { z } from "zod";
import { ScenarioFileSchema } from "./schema.js";

/**
 * The scenario file's JSON Schema, from the same zod schema the loader uses,
 * so editors validate what impnet accepts. Durations are numbers or strings
 * here; what a string may say ("1m30s") and the checks that span fields
 * (unique ids, events inside the run) are the loader's.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ScenarioFileSchema, { io: "input", unrepresentable: "any" }),
    $id: "https://impnet.invalid/scenario.schema.json",
    title: "impnet scenario",
  };
}
