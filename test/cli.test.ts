import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const demo = path.join(root, "examples/demo/scenario.yaml");

async function cli(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(["node", "impnet", ...args], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

async function scenarioFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "impnet-cli-"));
  await writeFile(path.join(dir, "device.mjs"), "export default function main() {}\n");
  const file = path.join(dir, "scenario.yaml");
  await writeFile(file, text);
  return file;
}

describe("impnet sim", () => {
  it("prints the timeline as JSON lines, the same bytes for the same scenario and seed", async () => {
    const a = await cli("sim", demo, "--json");
    const b = await cli("sim", demo, "--json");
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const lines = a.out.trimEnd().split("\n").map((l) => JSON.parse(l) as { t: number; device: string; type: string });
    expect(lines.length).toBeGreaterThan(50);
    expect(lines.every((l, i) => i === 0 || l.t >= lines[i - 1]!.t)).toBe(true);
    expect(new Set(lines.map((l) => l.type))).toEqual(new Set(["attempt", "connected", "boot", "message", "log", "callback", "world", "disconnected"]));
  });

  it("prints for people without --json: mm:ss.mmm times and reason names, no colour when not a terminal", async () => {
    const { code, out } = await cli("sim", demo);
    expect(code).toBe(0);
    expect(out).toMatch(/^00:03\.380 +sensor +attempt +wl0 wifi +SERVER_CONNECTED/m);
    expect(out).not.toContain("\u001b[");
  });

  it("--seed overrides the scenario's seed", async () => {
    const file = await scenarioFile("duration: 1m\ndevices:\n  - { id: a, program: ./device.mjs }\n");
    expect((await cli("sim", file, "--json", "--seed", "7")).code).toBe(0);
    const bad = await cli("sim", file, "--seed", "-3");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--seed");
  });

  it("rejects an invalid scenario before anything runs: every bad field by path, exit code 2", async () => {
    const file = await scenarioFile(
      "duration: 1m\nworld:\n  server: { up: maybe }\ndevices:\n  - { id: a, program: ./device.mjs, release: 41 }\n  - { id: b, program: ./missing.mjs }\n",
    );
    const { code, out, err } = await cli("sim", file);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain("world.server.up");
    expect(err).toContain("devices[0].release");
    expect(err).toContain("devices[1].program");
  });

  it("names a missing scenario file", async () => {
    const { code, err } = await cli("sim", "/nonexistent/scenario.yaml");
    expect(code).toBe(2);
    expect(err).toContain("/nonexistent/scenario.yaml");
  });

  it("runs as `impnet` from the built bin (what npx impnet runs)", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, "bin/impnet.js"), "sim", demo, "--json"], { cwd: root });
    expect(stdout).toBe((await cli("sim", demo, "--json")).out);
  });
});
