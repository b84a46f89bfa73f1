import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { scenarioJsonSchema } from "../src/scenario/json-schema.js";

/** What a newcomer or an installer meets besides the code: the links, the licence, the package's files and the scenario schema. */
const root = fileURLToPath(new URL("..", import.meta.url));
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

describe("a package people trust (issue 13 point 7)", () => {
  it("every relative link in README resolves to a file in the repository, none outside it", () => {
    const readme = read("README.md");
    const links = [...readme.matchAll(/\]\(([^)#:]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(3);
    for (const link of links) {
      expect(path.resolve(root, link).startsWith(root), link).toBe(true);
      expect(existsSync(path.join(root, link)), link).toBe(true);
    }
    expect(readme).not.toMatch(/\.\.\/shared\//);
  });

  it("ships a licence, its sources (source maps resolve), the docs and the schema; says what it is", () => {
    const pkg = JSON.parse(read("package.json")) as { license: string; files: string[]; keywords: string[]; description: string };
    expect(read("LICENSE")).toMatch(/^MIT License/);
    expect(pkg.license).toBe("MIT");
    expect(pkg.files).toEqual(expect.arrayContaining(["dist", "bin", "src", "docs", "schema", "LICENSE"]));
    expect(pkg.keywords).toEqual(expect.arrayContaining(["electric-imp", "squirrel", "mqtt"]));
    expect(pkg.description).not.toMatch(/soon/);
    const map = JSON.parse(read("dist/scenario/load.js.map")) as { sources: string[] };
    for (const source of map.sources) expect(existsSync(path.resolve(root, "dist/scenario", source)), source).toBe(true);
  });

  it("schema/scenario.schema.json is the loader's own schema, as built, naming every top-level and device field", () => {
    const built = JSON.parse(read("schema/scenario.schema.json")) as Record<string, unknown>;
    expect(built).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
    const properties = built.properties as Record<string, { items?: { properties?: Record<string, unknown> } }>;
    expect(Object.keys(properties)).toEqual(expect.arrayContaining(["duration", "seed", "world", "devices", "events", "timing", "libs"]));
    expect(Object.keys(properties.devices!.items!.properties!)).toEqual(expect.arrayContaining(["id", "release", "interfaces", "program", "agent", "count", "wifi", "proxy", "cell", "quirks"]));
  });
});
