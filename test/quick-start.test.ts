import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "./host/real-parts.js";

/**
 * README's Quick start, verbatim: its code blocks are written out as the
 * files they name, and its commands run through the built bin as a newcomer
 * runs them (`npx impnet` is the package's bin; here `node bin/impnet.js`).
 * Changing the Quick start changes what this test runs.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(path.join(root, "README.md"), "utf8");
const quickStart = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("\n## ", readme.indexOf("## Quick start") + 1));

/** Each fenced block whose first line names its file (`// device.nut`, `# scenario.yaml`), by that name. */
function namedBlocks(text: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of text.matchAll(/```[a-z]*\n((?:\/\/|#) ([\w.-]+)\n[\s\S]*?)```/g)) files.set(m[2]!, m[1]!);
  return files;
}

function impnet(cwd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [path.join(root, "bin/impnet.js"), ...args], { cwd }, (error, out, err) => resolve({ code: error === null ? 0 : Number(error.code), out, err })),
  );
}

describe("README's Quick start, as written", () => {
  const files = namedBlocks(quickStart);
  const commands = [...quickStart.matchAll(/^npx impnet (.+?)(?:\s+#.*)?$/gm)].map((m) => m[1]!.trim().split(/\s+/));

  it("has the files and the commands a newcomer copies", () => {
    expect([...files.keys()].sort()).toEqual(["device.mjs", "device.nut", "scenario.yaml"]);
    expect(commands.length).toBeGreaterThanOrEqual(2);
  });

  it("R25 R23 every command runs: the device logs online, loses the server at 2m, and is back online after 5m", async () => {
    const dir = tempDir("impnet-quick-start-");
    for (const [name, text] of files) writeFileSync(path.join(dir, name), text);
    for (const args of commands) {
      const r = await impnet(dir, args);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
    }
    const r = await impnet(dir, ["sim", "scenario.yaml", "--json"]);
    const lines = r.out.trimEnd().split("\n").map((l) => JSON.parse(l) as { t: number; type: string; text?: string; expected?: boolean });
    const online = lines.filter((l) => l.type === "log" && l.text === "online").map((l) => l.t);
    expect(online[0]).toBeLessThan(2 * 60_000); // at boot
    expect(lines.some((l) => l.type === "disconnected" && l.expected === false && l.t >= 2 * 60_000)).toBe(true);
    expect(online.some((t) => t > 5 * 60_000)).toBe(true); // it recovered once the server was back
  });

  it("the JavaScript twin gives the same timeline", async () => {
    const dir = tempDir("impnet-quick-start-js-");
    for (const [name, text] of files) writeFileSync(path.join(dir, name), text);
    writeFileSync(path.join(dir, "scenario-js.yaml"), files.get("scenario.yaml")!.replace("./device.nut", "./device.mjs"));
    const nut = await impnet(dir, ["sim", "scenario.yaml", "--json"]);
    const js = await impnet(dir, ["sim", "scenario-js.yaml", "--json"]);
    expect(js.code).toBe(0);
    expect(js.out).toBe(nut.out);
  });
});
