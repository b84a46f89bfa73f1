import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { scenarioJsonSchema } from "../src/scenario/json-schema.js";
import { tempDir } from "./host/real-parts.js";

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

  it("its typings check in a strict project of someone who installed it, with nothing but the package and its dependencies", { timeout: 60_000 }, () => {
    const pkg = JSON.parse(read("package.json")) as { devDependencies: Record<string, string> };
    const consumer = tempDir("impnet-consumer-");
    // The package as npm would unpack it: only its files.
    const tarball = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", consumer], { cwd: root, encoding: "utf8" }).trim().split("\n").at(-1)!;
    const modules = path.join(consumer, "node_modules");
    mkdirSync(path.join(modules, "impnet"), { recursive: true });
    execFileSync("tar", ["-xzf", path.join(consumer, tarball), "-C", path.join(modules, "impnet"), "--strip-components=1"]);
    // Its dependencies, as an installer hoists them; what only impnet's own development uses is not there.
    for (const entry of readdirSync(path.join(root, "node_modules"))) {
      const names = entry.startsWith("@") ? readdirSync(path.join(root, "node_modules", entry)).map((n) => `${entry}/${n}`) : [entry];
      for (const name of names) {
        if (name.startsWith(".") || name in pkg.devDependencies) continue;
        mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
        symlinkSync(path.join(root, "node_modules", name), path.join(modules, name));
      }
    }
    writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(
      path.join(consumer, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", noEmit: true, skipLibCheck: false, types: [] }, files: ["use.ts"] }),
    );
    writeFileSync(
      path.join(consumer, "use.ts"),
      [
        'import { ArraySink, loadScenario, Simulation, SERVER_CONNECTED } from "impnet";',
        'import type { TimelineEvent } from "impnet";',
        "const sink = new ArraySink();",
        'const scenario = await loadScenario("scenario.yaml");',
        "const sim = await Simulation.create(scenario, { sink });",
        "await sim.run();",
        "const lines: readonly TimelineEvent[] = sink.events;",
        "export const connected: number = lines.filter((e) => e.type === \"attempt\" && e.reason === SERVER_CONNECTED).length;",
        "",
      ].join("\n"),
    );
    const tsc = path.join(root, "node_modules/typescript/bin/tsc");
    let output = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", consumer], { cwd: consumer, encoding: "utf8" });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(output).toBe("");
  });
});
