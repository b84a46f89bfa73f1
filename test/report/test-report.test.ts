import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { tempDir } from "../host/real-parts.js";
import { expectQuiet, openPage, screenshot } from "../support/browser.js";

/** `impnet test --json --html` on a project with a passing and a failing test; the JSON lines and the page. */
async function testProject(): Promise<{ html: string; json: Record<string, unknown>[]; code: number }> {
  const dir = tempDir();
  mkdirSync(path.join(dir, "tests"));
  writeFileSync(path.join(dir, ".impt.test"), JSON.stringify({ testFiles: ["tests/**/*.test.nut"] }));
  writeFileSync(
    path.join(dir, "tests", "Numbers.device.test.nut"),
    `class NumbersTestCase extends ImpTestCase {
  function testAdds() { this.assertEqual(2, 1 + 1); }
  function testCompares() { this.assertEqual(1, 2, "one is not two <b>"); }
  function testInfo() { this.info("a note"); this.assertTrue(true); }
}
`,
  );
  const html = path.join(dir, "results.html");
  let out = "";
  const code = await main(["node", "impnet", "test", "--config", path.join(dir, ".impt.test"), "--json", "--html", html], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => {} }, env: {} });
  return { html, code, json: out.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("impnet test --html: the results as a page that opens offline", () => {
  it("the summary, each test's status in words, a failure's message as text; the same as --json says; no console error, no request out", { timeout: 60_000 }, async () => {
    const { html, json, code } = await testProject();
    expect(code).toBe(1);
    const tests = json.filter((l) => l.type === "test");
    expect(tests.map((t) => t.status)).toEqual(["ok", "fail", "ok"]);
    expect(readFileSync(html, "utf8")).not.toContain("one is not two <b>"); // escaped in the data, shown as text
    const { page, errors, outside } = await openPage(pathToFileURL(html).href);
    await page.waitForSelector("#summary");
    expectQuiet({ errors, outside });
    expect(await page.locator("#summary").textContent()).toBe("FAILED: 3 tests, 3 assertions, 1 failures, 1 sessions");
    const rows = await Promise.all((await page.locator("table.tests tbody tr").all()).map((tr) => tr.locator("td").allTextContents()));
    expect(rows.map((r) => [r[0], r[1]])).toEqual(tests.map((t) => [`${String(t.case)}::${String(t.method)}()`, t.status === "ok" ? "OK" : "FAIL"]));
    expect(rows[1]![4]).toContain("one is not two <b>");
    expect(await page.locator('[data-kind="info"]').allTextContents()).toEqual(["info: a note"]);
    await screenshot(page, "test-report.png");
  });
});
