// Writes schema/scenario.schema.json from the built zod schema (npm run build): what editors validate scenario files with.
import { mkdirSync, writeFileSync } from "node:fs";

const { scenarioJsonSchema } = await import(new URL("../dist/scenario/json-schema.js", import.meta.url).href);
mkdirSync(new URL("../schema/", import.meta.url), { recursive: true });
writeFileSync(new URL("../schema/scenario.schema.json", import.meta.url), `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
