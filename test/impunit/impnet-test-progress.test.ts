import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { CLEAR_LINE } from "../../src/cli/progress.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Three test files: two tests; one failing test; one test that waits 3 s of virtual time. */
function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "impnet-test-progress-"));
  dirs.push(dir);
  const files: Record<string, string> = {
    ".impt.test": JSON.stringify({ timeout: 5, stopOnFail: false, allowDisconnect: false }),
    "A.test.nut": `class A extends ImpTestCase { function testOne() { assertEqual(1, 1); } function testTwo() { info("two"); } }`,
    "B.test.nut": `class B extends ImpTestCase { function testFails() { assertEqual(1, 2); } }`,
    "tests/C.test.nut": `class C extends ImpTestCase { function testLater() { return Promise(function(ok, no) { imp.wakeup(3, ok); }); } }`,
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** `impnet test` in-process; `writes` keeps both streams' writes in the order they came. */
async function run(dir: string, args: string[], tty: { stdout: boolean; stderr: boolean }) {
  const writes: { to: "out" | "err"; text: string }[] = [];
  const code = await main(["node", "impnet", "test", "--config", path.join(dir, ".impt.test"), ...args], {
    stdout: { write: (text: string) => writes.push({ to: "out", text }), isTTY: tty.stdout },
    stderr: { write: (text: string) => writes.push({ to: "err", text }), isTTY: tty.stderr },
  });
  const of = (to: "out" | "err") => writes.filter((w) => w.to === to).map((w) => w.text).join("");
  return { code, out: of("out"), err: of("err"), writes };
}

/** The summary's wall seconds differ run to run. */
const sameRun = (out: string) => out.replace(/, \d+\.\d s;/, ", N s;");

const BAR = /^\.impt\.test \[(#*)(\.*)\] (\d+)% (\d) of 3 files, (\d+) tests, (\d+) failures, \d+\.\d s wall: (.+)$/;

describe("impnet test's progress bar", () => {
  it("on a terminal's stderr while the results go to a file or pipe: files done of the total, tests and failures so far, what runs; cleared before the summary; the results unchanged", async () => {
    const dir = project();
    const plain = await run(dir, [], { stdout: false, stderr: false });
    const r = await run(dir, [], { stdout: false, stderr: true });
    expect(r.code).toBe(1);
    expect(plain.code).toBe(1);
    expect(sameRun(r.out)).toBe(sameRun(plain.out));
    expect(r.out).toContain("B::testFails() FAIL");
    expect(r.out).toMatch(/^4 tests, 2 assertions, 1 failures \(3 sessions, /m);

    const updates = r.err.split(CLEAR_LINE).filter((u) => u !== "");
    const seen = updates.map((u) => {
      const m = BAR.exec(u);
      expect(m, u).not.toBeNull();
      const [, filled, empty, percent, done, tests, failures, now] = m!;
      expect(filled!.length + empty!.length).toBe(20);
      expect(filled!.length).toBe(Math.round((Number(done) / 3) * 20));
      expect(Number(percent)).toBe(Math.floor((Number(done) / 3) * 100));
      return { done: Number(done), tests: Number(tests), failures: Number(failures), now: now! };
    });
    expect(seen[0]).toEqual({ done: 0, tests: 0, failures: 0, now: "A.test.nut" });
    expect(seen.at(-1)).toEqual({ done: 3, tests: 4, failures: 1, now: `${path.join("tests", "C.test.nut")}, C` });
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);
      expect(seen[i]!.tests).toBeGreaterThanOrEqual(seen[i - 1]!.tests);
    }
    // Each test counted as it is reported, and the file (then its case) that runs.
    expect(seen).toContainEqual({ done: 0, tests: 1, failures: 0, now: "A.test.nut, A" });
    expect(seen).toContainEqual({ done: 0, tests: 2, failures: 0, now: "A.test.nut, A" });
    expect(seen).toContainEqual({ done: 1, tests: 2, failures: 0, now: "B.test.nut" });
    expect(seen).toContainEqual({ done: 1, tests: 3, failures: 1, now: "B.test.nut, B" });
    expect(seen).toContainEqual({ done: 2, tests: 3, failures: 1, now: path.join("tests", "C.test.nut") });

    // Erased last, before the summary is printed.
    expect(r.err.endsWith(CLEAR_LINE)).toBe(true);
    const summary = r.writes.findIndex((w) => w.to === "out" && w.text.startsWith("4 tests,"));
    const lastErr = r.writes.findLastIndex((w) => w.to === "err");
    expect(lastErr).toBeLessThan(summary);
    expect(r.writes[lastErr]!.text).toBe(CLEAR_LINE);
  });

  it("none with --json, with --quiet (which still prints the results), when stderr is not a terminal, nor beside results on the terminal", async () => {
    const dir = project();
    const plain = await run(dir, [], { stdout: false, stderr: false });
    expect(plain.err).toBe("");
    const json = await run(dir, ["--json"], { stdout: false, stderr: true });
    expect(json.err).toBe("");
    expect(json.out.trimEnd().split("\n").map((l) => (JSON.parse(l) as { type: string }).type)).toContain("summary");
    const quiet = await run(dir, ["--quiet"], { stdout: false, stderr: true });
    expect(quiet.err).toBe("");
    expect(quiet.code).toBe(1);
    expect(sameRun(quiet.out)).toBe(sameRun(plain.out));
    const terminal = await run(dir, [], { stdout: true, stderr: true });
    expect(terminal.err).toBe("");
    expect(terminal.out).toContain("testFails");
  });

  it("erased before what a run that breaks off prints", async () => {
    const dir = project();
    writeFileSync(path.join(dir, "B.test.nut"), `@include "missing.nut"\nclass B extends ImpTestCase {}\n`);
    const r = await run(dir, [], { stdout: false, stderr: true });
    expect(r.code).toBe(2);
    const last = r.err.lastIndexOf(CLEAR_LINE);
    expect(r.err.slice(0, last).split(CLEAR_LINE).filter((u) => u !== "").length).toBeGreaterThan(0);
    expect(r.err.slice(last + CLEAR_LINE.length)).toMatch(/missing\.nut/);
    expect(r.err.slice(last + CLEAR_LINE.length)).not.toContain("[");
  });
});
