import http from "node:http";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { RealClock } from "../../src/clock/real-clock.js";
import * as C from "../../src/constants.js";
import { DashboardServer } from "../../src/cloud/dashboard/dashboard-server.js";
import { DeviceBoard } from "../../src/cloud/dashboard/device-board.js";
import { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import { Device } from "../../src/device/device.js";
import { ElapsedClock } from "../../src/network/host/elapsed-clock.js";
import { HostLink } from "../../src/network/host/host-link.js";
import type { TimelineEvent } from "../../src/timeline/events.js";
import { CountingSink, TeeSink } from "../../src/timeline/sinks.js";
import { deviceModel } from "../host/harness.js";
import { onCleanup, tempDir } from "../host/real-parts.js";
import { expectQuiet, openPage, screenshot } from "../support/browser.js";
import { startFaultProxy } from "../support/fault-proxy.js";

/** The embedded cloud with its dashboard (as impnet serve runs them), and a real device reaching it through a path the test can cut. */
async function cloudWithDashboard() {
  const wall = new RealClock();
  const clock = new ElapsedClock(wall);
  const board = new DeviceBoard();
  const cloud = await EmbeddedCloud.start({ dataDir: tempDir(), port: 0, clock, wall, sink: new TeeSink(new CountingSink(), board), logins: true, reports: (id, lines, dropped) => board.report(id, lines, dropped) });
  const secret = cloud.registry.addDevice("dash-1");
  cloud.registry.addDevice("dash-never");
  board.know(["dash-1", "dash-never"]);
  const dashboard = await DashboardServer.start({ board, clock, origin: clock.origin, host: "127.0.0.1", port: 0 });
  let path = await startFaultProxy(cloud.port, wall, () => ({ kind: "none" }));
  const port = path.port;
  const model = deviceModel("dash-1");
  const link = new HostLink(model, clock, { server: { host: "127.0.0.1", port, tls: false }, secret, interfaces: { ethernet: "lo" }, retryFloorMs: 200 });
  const lines: TimelineEvent[] = [];
  const device = new Device(model, {
    clock,
    sink: { write: (e) => void lines.push(e) },
    link,
    program: (root) => {
      // RETURN_ON_ERROR: a loss is recovered silently (R23); the device says it is alive every half second while connected.
      root.server.setsendtimeoutpolicy(C.RETURN_ON_ERROR, C.WAIT_TIL_SENT, 10);
      let n = 0;
      const tick = (): void => {
        if (root.server.isconnected()) void root.server.log(`tick <i>${n++}</i>`);
        root.imp.wakeup(0.5, tick);
      };
      void root.server.log("booted");
      tick();
    },
  });
  link.listener = device;
  device.boot();
  onCleanup(async () => {
    link.dispose();
    await path.stop();
    await dashboard.stop();
    await cloud.stop();
    clock.dispose();
  });
  return {
    dashboard,
    /** The device's own timeline. */
    lines,
    cut: () => path.stop(),
    mend: async () => void (path = await startFaultProxy(cloud.port, wall, () => ({ kind: "none" }), port)),
  };
}

describe("impnet serve's dashboard, live in a browser", () => {
  it("shows every device's state as the cloud sees it: a device that loses its server turns offline on the page within 5 s and online again after, its strip then shows the attempts that failed meanwhile with their reasons, its log lines as text; no console error, no request out", { timeout: 60_000 }, async () => {
    const { dashboard, lines, cut, mend } = await cloudWithDashboard();
    const { page, errors, outside } = await openPage(dashboard.url);
    const row = (id: string) => page.locator(`#devices tbody tr[data-device="${id}"]`);
    await row("dash-1").and(page.locator('[data-state="online"]')).waitFor({ timeout: 10_000 });
    expect(await row("dash-never").locator(".badge").textContent()).toBe("never seen");
    await page.locator("#log li", { hasText: "booted" }).waitFor();
    await cut();
    await row("dash-1").and(page.locator('[data-state="offline"]')).waitFor({ timeout: 5_000 });
    expect(await row("dash-1").locator("td.last").textContent()).not.toBe("");
    const before = await page.locator("#log li").count();
    await mend();
    await row("dash-1").and(page.locator('[data-state="online"]')).waitFor({ timeout: 10_000 });
    await page.locator("#log li").nth(before).waitFor(); // a line sent after the return…
    expect(await page.locator("#log li").nth(before).textContent()).toMatch(/^\d\d:\d\d:\d\d tick <i>\d+<\/i>$/); // …shown as text, never markup
    expect(await page.locator("#counts").textContent()).toBe("2 devices: 1 online, 0 offline, 0 asleep, 1 never seen.");
    // Back online, the device reports the attempts that failed while the cloud could not hear it: its strip shows each with its reason.
    const failed = () => lines.filter((l): l is Extract<TimelineEvent, { type: "attempt" }> => l.type === "attempt" && l.reasonName !== "SERVER_CONNECTED");
    expect(failed().length).toBeGreaterThan(0);
    const drawn = page.locator('#strip .strip[data-device="dash-1"] .attempt:not([data-reason="SERVER_CONNECTED"])');
    await expect.poll(() => drawn.count(), { timeout: 5_000 }).toBe(failed().length);
    const first = failed()[0]!;
    expect(await drawn.first().textContent()).toBe(first.reasonName);
    expect(await drawn.first().getAttribute("title")).toContain(`${first.reasonName} at ${first.layer}`);
    expect(await drawn.first().getAttribute("title")).toContain(first.detail);
    expect(await page.locator("#legend").textContent()).toContain(`attempt: ${first.reasonName}`);
    expect(await row("dash-1").locator("td.failed").textContent()).toBe(String(failed().length));
    const last = failed().at(-1)!;
    expect(await row("dash-1").locator("td.failure").textContent()).toBe(`${last.reasonName} at ${last.layer}: ${last.detail}`);
    expect(await row("dash-1").locator("td.iface").textContent()).toBe("eth0");
    expect(await page.locator("#live").textContent()).toBe("live");
    expectQuiet({ errors, outside });
    await screenshot(page, "dashboard.png");
  });

  it("readable on a phone: the page fits the width (the table scrolls in its box), the strip and the chart shrink to it", { timeout: 60_000 }, async () => {
    const { dashboard } = await cloudWithDashboard();
    const { page, errors, outside } = await openPage(dashboard.url, { width: 390, height: 844 });
    await page.locator('#strip .strip[data-device="dash-1"] .attempt').first().waitFor({ timeout: 10_000 });
    await page.locator("#minutes-chart canvas").waitFor();
    expectQuiet({ errors, outside });
    expect(await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth")).toBeLessThanOrEqual(0);
    for (const part of ["#strip .strip", "#minutes-chart canvas"]) expect((await page.locator(part).boundingBox())!.width).toBeLessThanOrEqual(390);
    await screenshot(page, "dashboard-phone.png");
  });

  it("is read-only and answers only to the address it listens on (no DNS rebinding)", async () => {
    const { dashboard } = await cloudWithDashboard();
    const url = new URL(dashboard.url);
    const request = (method: string, host: string, target = "/") =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ host: url.hostname, port: url.port, path: target, method, headers: { Host: host } }, (res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        req.end();
      });
    const ask = async (method: string, host: string) => (await request(method, host)).status;
    expect(await ask("GET", url.host)).toBe(200);
    expect(await ask("GET", `localhost:${url.port}`)).toBe(200);
    expect(await ask("GET", `[::1]:${url.port}`)).toBe(200); // an address literal: how a dashboard beyond loopback is reached
    expect(await ask("GET", `evil.example:${url.port}`)).toBe(421);
    expect(await ask("GET", `localhost:${Number(url.port) + 1}`)).toBe(421);
    expect(await ask("POST", url.host)).toBe(405);
    // A request target the URL parser refuses is a 404, not a crash of the cloud.
    const raw = await new Promise<string>((resolve) => {
      const s = net.connect(Number(url.port), url.hostname, () => s.end(`GET http://[ HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`));
      let got = "";
      s.on("data", (d: Buffer) => (got += d.toString()));
      s.on("close", () => resolve(got));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 404/);
    expect(await ask("GET", url.host)).toBe(200);
    // A device's history: its lines and logs as JSON; a device the board does not know, or none named, is a 404.
    const history = await request("GET", url.host, "/device?id=dash-never");
    expect(history.status).toBe(200);
    expect(JSON.parse(history.body)).toMatchObject({ logs: [], lines: [] });
    expect(await request("HEAD", url.host, "/device?id=dash-never")).toEqual({ status: 200, body: "" });
    expect((await request("GET", url.host, "/device?id=nobody")).status).toBe(404);
    expect((await request("GET", url.host, "/device")).status).toBe(404);
    expect((await request("POST", url.host, "/device?id=dash-never")).status).toBe(405);
  });

  it("a login refused for an id the board does not know is counted, never made a device: anyone can claim an id", () => {
    const board = new DeviceBoard();
    board.know(["real-1"]);
    for (let i = 0; i < 100; i++) board.write({ t: i, device: `made-up-${i}`, type: "refused", why: "unknown id" });
    board.write({ t: 100, device: "real-1", type: "refused", why: "wrong secret" });
    const snap = board.snapshot();
    expect(snap.devices.map((d) => [d.id, d.refusals, d.last])).toEqual([["real-1", 1, "login refused: wrong secret"]]);
    expect(snap.minutes).toEqual([{ at: 0, connects: 0, failures: 101, messages: 0 }]);
  });

  it("npm start (impnet demo) prints the dashboard's URL first, and the page shows the demo's devices: online (the flaky one through its path), and the one with the wrong secret refused, saying why", { timeout: 60_000 }, async () => {
    let out = "";
    let first: (url: string) => void = () => {};
    const url = new Promise<string>((resolve) => (first = resolve));
    const run = main(["node", "impnet", "demo", "--for", "6s"], {
      stdout: {
        write: (t: string) => {
          out += t;
          const m = /^dashboard: (http:\S+)\n/.exec(out);
          if (m !== null) first(m[1]!);
        },
      },
      stderr: { write: () => {} },
    });
    const { page, errors, outside } = await openPage(await url);
    expect(out.startsWith("dashboard: http://127.0.0.1:")).toBe(true);
    const row = (id: string) => page.locator(`#devices tbody tr[data-device="${id}"]`);
    for (const id of ["sensor-direct", "sensor-flaky"]) await row(id).and(page.locator('[data-state="online"]')).waitFor({ timeout: 5_000 });
    await row("sensor-wrongkey").locator("td.last", { hasText: "login refused: wrong secret" }).waitFor({ timeout: 5_000 });
    // The first device is shown: it reported its connect on eth0.
    await page.locator('#strip .attempt[data-reason="SERVER_CONNECTED"]').first().waitFor({ timeout: 5_000 });
    expect(await page.locator("#device-title").textContent()).toBe("sensor-direct: online on eth0");
    // The demo's agent logs what its device sends: in the device's log stream, marked as the agent's.
    await page.locator("#log li", { hasText: /^\d\d:\d\d:\d\d \[agent\] device online$/ }).waitFor({ timeout: 5_000 });
    expectQuiet({ errors, outside });
    await screenshot(page, "dashboard-demo.png");
    expect(await run).toBe(0);
  });
});
