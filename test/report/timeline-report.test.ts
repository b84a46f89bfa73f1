import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { STRIP_DEVICES, TimelineReportSink, timelineReportHtml } from "../../src/report/timeline-report.js";
import { parseScenario } from "../../src/scenario/load.js";
import { Simulation } from "../../src/scenario/simulation.js";
import type { TimelineEvent } from "../../src/timeline/events.js";
import { ArraySink, TeeSink } from "../../src/timeline/sinks.js";
import { tempDir } from "../host/real-parts.js";
import { expectQuiet, openPage, screenshot } from "../support/browser.js";

/** A device that logs every minute and retries a minute after each failure. */
const RETURNING = `export default function main({ server, imp, RETURN_ON_ERROR, WAIT_TIL_SENT }) {
  server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
  const connect = () => server.connect((r) => { if (r !== 5) imp.wakeup(60, connect); }, 30);
  server.onunexpecteddisconnect(() => connect());
  let n = 0;
  const tick = () => { if (server.isconnected()) server.log("tick <b>" + n++); imp.wakeup(60, tick); };
  tick();
}
`;

/** A device run with the imp's default policy, logging every minute: the program is suspended while the imp reconnects (R20). */
const SUSPENDING = `export default function main({ server, imp }) {
  let n = 0;
  const tick = () => { server.log("tick " + n++); imp.wakeup(60, tick); };
  tick();
}
`;

/** The report of a run of `program` on `devices` devices, their server gone from 3m to 6m. */
async function simReport(devices: number, program = RETURNING): Promise<{ file: string; lines: readonly TimelineEvent[] }> {
  const dir = tempDir();
  writeFileSync(path.join(dir, "device.mjs"), program);
  const raw = {
    duration: "10m",
    world: { server: { host: "impnet.local", up: true, failure: "refuse" }, wifi: [{ ssid: "home", key: "secret" }] },
    devices: [{ id: "strip", program: "./device.mjs", count: devices }],
    events: [
      { at: "3m", set: { "world.server.up": false } },
      { at: "6m", set: { "world.server.up": true } },
    ],
  };
  const scenario = parseScenario(raw, "report", dir);
  const kept = new ArraySink();
  const report = new TimelineReportSink(scenario.devices.map((d) => d.id), scenario.durationMs);
  await (await Simulation.create(scenario, { sink: new TeeSink(kept, report) })).run();
  const file = path.join(dir, "sim.html");
  writeFileSync(file, timelineReportHtml(report.data("outage.yaml", scenario.seed)));
  return { file, lines: kept.events };
}

describe("impnet sim --html: the timeline as strips, opened offline in a browser", () => {
  it("one device: every attempt on its strip with its reason named, the failing layer and detail on hover; its log lines as text; no console error, no request out", { timeout: 60_000 }, async () => {
    const { file, lines } = await simReport(1);
    const { page, errors, outside } = await openPage(pathToFileURL(file).href);
    await page.waitForSelector(".strip");
    expectQuiet({ errors, outside });
    const attempts = lines.filter((l) => l.type === "attempt");
    expect(attempts.some((a) => a.reasonName === "NO_SERVER")).toBe(true);
    const drawn = page.locator('.strip[data-device="strip"] .attempt');
    const spans = await drawn.all();
    expect(await Promise.all(spans.map((s) => s.getAttribute("data-reason")))).toEqual(attempts.map((a) => a.reasonName));
    const failed = attempts.find((a) => a.reasonName === "NO_SERVER")!;
    const tips = await Promise.all(spans.map((s) => s.getAttribute("title")));
    expect(tips).toContainEqual(expect.stringContaining(`NO_SERVER at tcp after ${failed.ms} ms: ${failed.detail!}`));
    const legend = await page.locator("#legend").textContent();
    for (const why of new Set(attempts.map((a) => a.reasonName))) expect(legend).toContain(`attempt: ${why}`);
    expect(lines.filter((l) => l.type === "error")).toEqual([]);
    const logs = lines.filter((l) => l.type === "log");
    await page.locator('details[data-device="strip"] summary').click();
    expect(await page.locator('details[data-device="strip"] ol.logs li').allTextContents()).toHaveLength(logs.length);
    expect(await page.locator('details[data-device="strip"] ol.logs li').first().textContent()).toMatch(/^\d\d:\d\d tick <b>\d+$/); // text, never markup
    expect(await page.locator("#world li").allTextContents()).toEqual(["03:00: world.server.up=false", "06:00: world.server.up=true"]);
    expect(await page.locator("#connected-chart").count()).toBe(0); // one device: no fleet curves
    await screenshot(page, "sim-report.png");
  });

  it("a device whose program is suspended while the imp reconnects (SUSPEND_ON_ERROR) shows each suspension as a band, named in words", { timeout: 60_000 }, async () => {
    const { file, lines } = await simReport(1, SUSPENDING);
    const suspends = lines.filter((l) => l.type === "suspend");
    expect(suspends.length).toBeGreaterThan(0);
    const { page, errors, outside } = await openPage(pathToFileURL(file).href);
    await page.waitForSelector(".strip");
    expectQuiet({ errors, outside });
    const bands = page.locator('.strip[data-device="strip"] .state.suspended');
    expect(await bands.count()).toBe(suspends.length);
    expect(await bands.first().getAttribute("title")).toMatch(/^suspended \d\d:\d\d–\d\d:\d\d$/);
    expect(await page.locator("#legend").textContent()).toContain("suspended");
  });

  it(`a fleet: the curves of all of it, strips for the first ${STRIP_DEVICES}, the page says so`, { timeout: 60_000 }, async () => {
    const { file, lines } = await simReport(2000);
    const { page, errors, outside } = await openPage(pathToFileURL(file).href, { width: 390, height: 844 });
    await page.waitForSelector("#attempts-chart canvas");
    expectQuiet({ errors, outside });
    expect(await page.locator(".strip").count()).toBe(STRIP_DEVICES);
    expect(await page.locator("h2", { hasText: "Devices" }).textContent()).toBe(`Devices: the first ${STRIP_DEVICES} of 2,000`);
    expect(await page.locator("#connected-chart + figcaption").textContent()).toBe("Devices connected: 2,000 of 2,000 at the end");
    const byReason = new Map<string, number>();
    for (const l of lines) if (l.type === "attempt") byReason.set(l.reasonName, (byReason.get(l.reasonName) ?? 0) + 1);
    const totals = [...byReason].sort(([a], [b]) => (a < b ? -1 : 1)).map(([why, n]) => `${why} ${n.toLocaleString("en-US")}`);
    expect(await page.locator("#attempts-chart + figcaption").textContent()).toBe(`Attempts per second, by reason: ${totals.join(", ")}`);
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "sim-report-fleet-phone.png");
  });
});
