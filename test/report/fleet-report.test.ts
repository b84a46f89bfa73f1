import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { report } from "../../src/cli/fleet-command.js";
import { resolveStrategy, runStrategy } from "../../src/fleet/run-fleet.js";
import type { StrategyRun } from "../../src/fleet/run-fleet.js";
import { fleetReportHtml } from "../../src/report/fleet-report.js";
import { parseScenario } from "../../src/scenario/load.js";
import { outage } from "../fleet/outage-scenario.js";
import { expectQuiet, openPage, screenshot } from "../support/browser.js";

/** Two strategies through a 10-minute outage, and the report of them as a file. */
async function fleetReportFile(devices: number): Promise<{ file: string; runs: StrategyRun[]; reports: Record<string, unknown>[] }> {
  const { dir, raw } = outage(devices);
  const scenario = parseScenario(raw, "fleet", dir);
  const runs = [await runStrategy(scenario, await resolveStrategy("cm-immediate")), await runStrategy(scenario, await resolveStrategy("cm-backoff"))];
  const reports = runs.map((r) => report(r, scenario.durationMs));
  const file = path.join(dir, "fleet report.html");
  writeFileSync(file, fleetReportHtml({ file: "outage </script>.yaml", devices, durationMs: scenario.durationMs, time: "virtual time", sinceMs: runs[0]!.sinceMs, fromMs: runs[0]!.fromMs, strategies: reports }));
  return { file, runs, reports };
}

describe("impnet fleet --html: one file that opens offline in a browser and shows what its data says", () => {
  it("the figures per strategy in the table, both curves drawn with every strategy named, why attempts failed; no console error, no request out", { timeout: 60_000 }, async () => {
    const { file, runs } = await fleetReportFile(300);
    const { page, errors, outside } = await openPage(pathToFileURL(file).href);
    await page.waitForSelector("#arrivals-chart canvas");
    expectQuiet({ errors, outside });
    expect(await page.locator("h1").textContent()).toBe("impnet fleet: outage </script>.yaml"); // text, never markup
    const rows = await Promise.all((await page.locator("#summary tbody tr").all()).map((tr) => tr.locator("th, td").allTextContents()));
    const peaks = rows.map((cells) => cells.slice(2, 4));
    expect(rows.map((cells) => [...cells.slice(0, 2), ...cells.slice(4)])).toEqual(
      runs.map((r) => {
        const f = r.figures;
        const back = (ms: number | null) => (ms === null ? "never" : `${(ms / 1000).toFixed(1)} s`);
        return [r.strategy.name, (Math.round((f.attempts / f.devices) * 100) / 100).toFixed(1), back(f.back.p50), back(f.back.p99), back(f.back.p100), f.connectedAtEnd.toLocaleString("en-US"), String(f.errors)];
      }),
    );
    // The peak after the last event: immediate retry brings the whole fleet in its first second; backoff spreads it.
    expect(peaks[0]![1]).toBe("300 (12:00)");
    expect(Number(peaks[1]![1]!.split(" ")[0])).toBeLessThan(100);
    for (const chart of ["#connected-chart", "#arrivals-chart"]) {
      const legend = await page.locator(`${chart} .u-legend`).textContent();
      for (const r of runs) expect(legend).toContain(r.strategy.name);
      const box = await page.locator(`${chart} canvas`).boundingBox();
      expect(box!.width).toBeGreaterThan(600); // fills the page at 1280 px
    }
    const caption = await page.locator("#connected-chart + figcaption").textContent();
    for (const r of runs) expect(caption).toContain(`${r.strategy.name}: ${r.figures.connectedAtEnd} of 300 connected at the end`);
    const failures = await page.locator("#failures li").allTextContents();
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(/^cm-immediate: /);
    await screenshot(page, "fleet-report.png");
  });

  it("readable on a phone: the page fits the width (the table scrolls in its box), the charts shrink to it", { timeout: 60_000 }, async () => {
    const { file } = await fleetReportFile(50);
    const { page, errors, outside } = await openPage(pathToFileURL(file).href, { width: 390, height: 844 });
    await page.waitForSelector("#arrivals-chart canvas");
    expectQuiet({ errors, outside });
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await page.locator("#connected-chart canvas").boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    await screenshot(page, "fleet-report-phone.png");
  });
});
