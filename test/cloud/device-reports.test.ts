import fc from "fast-check";
import mqtt from "mqtt";
import { describe, expect, it, vi } from "vitest";
import { RealClock } from "../../src/clock/real-clock.js";
import * as C from "../../src/constants.js";
import { DeviceBoard } from "../../src/cloud/dashboard/device-board.js";
import { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import { Device } from "../../src/device/device.js";
import type { ProgramEntry } from "../../src/device/device.js";
import { ElapsedClock } from "../../src/network/host/elapsed-clock.js";
import { HostLink } from "../../src/network/host/host-link.js";
import type { HostLinkOptions } from "../../src/network/host/host-link.js";
import { ReportBuffer } from "../../src/network/host/report-buffer.js";
import type { TimelineEvent } from "../../src/timeline/events.js";
import { decodeReport, encodeReport, REPORT_LINES } from "../../src/wire/device-report.js";
import type { ReportedLine } from "../../src/wire/device-report.js";
import { topicFor } from "../../src/wire/topics.js";
import { deviceModel } from "../host/harness.js";
import { freePort, onCleanup, tempDir } from "../host/real-parts.js";
import { startFaultProxy } from "../support/fault-proxy.js";

type Attempt = Extract<TimelineEvent, { type: "attempt" }>;

const time = fc.integer({ min: 0, max: 10_000_000 });
const layer = fc.record({ layer: fc.constantFrom("link", "dns", "tcp", "mqtt"), start: time, ms: fc.nat(60_000), ok: fc.boolean() });
const reportedLine: fc.Arbitrary<ReportedLine> = fc.oneof(
  fc.record({ t: time, device: fc.constant("d"), type: fc.constant("boot" as const), cause: fc.constantFrom("cold" as const, "wake" as const, "error" as const) }),
  fc.record(
    {
      t: time,
      device: fc.constant("d"),
      type: fc.constant("attempt" as const),
      interface: fc.constant("eth0" as const),
      interfaceType: fc.constant("ethernet" as const),
      reason: fc.constantFrom(C.NO_SERVER, C.NOT_RESOLVED, C.SERVER_CONNECTED),
      reasonName: fc.constantFrom("NO_SERVER", "NOT_RESOLVED", "SERVER_CONNECTED"),
      ms: fc.nat(60_000),
      layer: fc.constantFrom("tcp", "dns"),
      detail: fc.string({ maxLength: 40 }),
      layers: fc.array(layer, { maxLength: 6 }),
    },
    { requiredKeys: ["t", "device", "type", "interface", "interfaceType", "reason", "reasonName", "ms", "layers"] },
  ),
  fc.record({ t: time, device: fc.constant("d"), type: fc.constant("connected" as const), interface: fc.constant("eth0" as const) }),
  fc.record({ t: time, device: fc.constant("d"), type: fc.constant("disconnected" as const), expected: fc.boolean() }),
  fc.record({ t: time, device: fc.constant("d"), type: fc.constantFrom("suspend" as const, "resume" as const) }),
  fc.record({ t: time, device: fc.constant("d"), type: fc.constant("sleep" as const), seconds: fc.nat(86_400) }),
);

describe("device reports (the diag channel): the wire", () => {
  it("a report read on another clock is the device's lines with every time (a line's and each layer's start) moved by the clocks' difference at receipt", () => {
    fc.assert(
      fc.property(fc.array(reportedLine, { maxLength: REPORT_LINES }), fc.nat(1000), time, fc.integer({ min: -1e9, max: 1e9 }), (lines, dropped, now, skew) => {
        const r = decodeReport(Buffer.from(encodeReport(now, lines, dropped)), "other-id", now + skew);
        if ("refused" in r) throw new Error(r.refused);
        expect(r.dropped).toBe(dropped);
        const moved = lines.map((l) => ({ ...l, device: "other-id", t: l.t + skew, ...(l.type === "attempt" ? { layers: l.layers.map((x) => ({ ...x, start: x.start + skew })) } : {}) }));
        expect(r.lines).toEqual(moved);
      }),
    );
  });

  it("what is not a report is refused with what was wrong, never thrown, and nothing in it is taken", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ now: fc.anything(), dropped: fc.anything(), lines: fc.array(fc.anything()) })), (v) => {
        const r = decodeReport(Buffer.from(JSON.stringify(v) ?? "null"), "d", 0);
        if ("refused" in r) expect(r.refused).not.toBe("");
        else expect(Array.isArray(r.lines)).toBe(true);
      }),
    );
    const refused = (payload: string) => {
      const r = decodeReport(Buffer.from(payload), "d", 0);
      return "refused" in r ? r.refused : "";
    };
    expect(refused("{")).toBe("not JSON");
    expect(refused(JSON.stringify({ now: 1, dropped: 0, lines: [{ type: "log", t: 1, text: "x" }] }))).toMatch(/^lines\.0\.type/);
    expect(refused(JSON.stringify({ now: 1, dropped: -1, lines: [] }))).toMatch(/^dropped/);
    expect(refused(JSON.stringify({ now: 1, dropped: 0, lines: Array.from({ length: REPORT_LINES + 1 }, (_, t) => ({ type: "resume", t })) }))).toMatch(/^lines/);
    expect(refused(JSON.stringify({ now: 1, dropped: 0, lines: [{ type: "sleep", t: 1, seconds: -5 }] }))).toMatch(/^lines\.0\.seconds/);
  });

  it("a device keeps at most REPORT_LINES lines while it cannot send, the oldest going first and counted; a report not sent is put back in order", () => {
    const buffer = new ReportBuffer();
    expect(buffer.add({ t: 0, device: "d", type: "log", text: "not reported", error: false })).toBe(false);
    expect(buffer.empty).toBe(true);
    for (let t = 0; t < REPORT_LINES + 5; t++) expect(buffer.add({ t, device: "d", type: "resume" })).toBe(true);
    const taken = buffer.take(1000);
    expect(taken.dropped).toBe(5);
    expect(taken.lines.map((l) => l.t)).toEqual(Array.from({ length: REPORT_LINES }, (_, i) => i + 5));
    expect(buffer.empty).toBe(true);
    buffer.add({ t: 2000, device: "d", type: "suspend" });
    buffer.putBack(taken);
    const again = buffer.take(3000);
    expect(again.lines.at(-1)).toEqual({ t: 2000, device: "d", type: "suspend" });
    expect(again.lines).toHaveLength(REPORT_LINES);
    expect(again.dropped).toBe(6); // the five, and the oldest of the put-back lines, pushed out by the newer one
  });
});

/** The embedded cloud telling a board of reports, and a real device reaching it through a path the test can cut. */
async function reportingDevice(program: ProgramEntry, options: Partial<HostLinkOptions> = {}, start = true) {
  const wall = new RealClock();
  const clock = new ElapsedClock(wall);
  const board = new DeviceBoard();
  const reports: ReportedLine[] = [];
  const warnings: string[] = [];
  const cloudSink = { write: (e: TimelineEvent) => (board.write(e), e.type === "warning" ? void warnings.push(e.text) : undefined) };
  const cloud = await EmbeddedCloud.start({
    dataDir: tempDir(),
    port: 0,
    clock,
    wall,
    sink: cloudSink,
    logins: true,
    reports: (id, lines, dropped) => (reports.push(...lines), board.report(id, lines, dropped)),
  });
  const secret = cloud.registry.addDevice("rep-1");
  board.know(["rep-1"]);
  const port = await freePort();
  let path: { stop(): Promise<void> } | null = null;
  const open = async () => void (path = await startFaultProxy(cloud.port, wall, () => ({ kind: "none" }), port));
  if (start) await open();
  const model = deviceModel("rep-1");
  const link = new HostLink(model, clock, { server: { host: "127.0.0.1", port, tls: false }, secret, interfaces: { ethernet: "lo" }, retryFloorMs: 100, ...options });
  const lines: TimelineEvent[] = [];
  const device = new Device(model, { clock, sink: { write: (e) => void lines.push(e) }, link, program });
  link.listener = device;
  device.boot();
  onCleanup(async () => {
    link.dispose();
    await path?.stop();
    await cloud.stop();
    clock.dispose();
  });
  return { cloud, secret, board, reports, warnings, lines, open };
}

describe("device reports (the diag channel): device to cloud on the real stack", () => {
  it("attempts that failed before the cloud could hear of them reach it after the connect: the same reasons, layers and details, on the cloud's clock", { timeout: 30_000 }, async () => {
    const { board, reports, lines, open } = await reportingDevice((root) => root.server.setsendtimeoutpolicy(C.RETURN_ON_ERROR, C.WAIT_TIL_SENT, 10), {}, false);
    const failed = () => lines.filter((l): l is Attempt => l.type === "attempt" && l.reason !== C.SERVER_CONNECTED);
    await vi.waitFor(() => expect(failed().length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    await open();
    await vi.waitFor(() => expect(reports.some((l) => l.type === "connected")).toBe(true), { timeout: 10_000 });
    const own = lines.filter((l) => ["boot", "attempt", "connected"].includes(l.type));
    const told = reports.filter((l) => l.t <= reports.find((r) => r.type === "connected")!.t);
    expect(told.map((l) => [l.type, l.type === "attempt" ? [l.reasonName, l.layer, l.detail, l.layers.map((x) => x.layer)] : null])).toEqual(
      own.map((l) => [l.type, l.type === "attempt" ? [l.reasonName, l.layer, l.detail, l.layers.map((x) => x.layer)] : null]),
    );
    // One process, one clock: moved by the trip's latency only.
    for (const [i, l] of told.entries()) expect(Math.abs(l.t - own[i]!.t)).toBeLessThan(1000);
    const d = board.snapshot().devices.find((x) => x.id === "rep-1")!;
    expect(d.failed).toBe(failed().length);
    expect(d.interface).toBe("eth0");
    const last = failed().at(-1)!;
    expect(d.lastFailure).toBe(`${last.reasonName} at ${last.layer}: ${last.detail}`);
  });

  it("a device that reports it is going to sleep and says goodbye is asleep on the board, for as long as it said", { timeout: 30_000 }, async () => {
    const { board, reports } = await reportingDevice((root) => {
      root.server.setsendtimeoutpolicy(C.RETURN_ON_ERROR, C.WAIT_TIL_SENT, 10);
      root.imp.wakeup(0.3, () => root.server.sleepfor(3600));
    });
    await vi.waitFor(() => expect(board.snapshot().devices[0]!.state).toBe("asleep"), { timeout: 10_000 });
    expect(reports.some((l) => l.type === "sleep" && l.seconds === 3600)).toBe(true);
    expect(board.snapshot().devices[0]!.last).toBe("asleep for 3600 s");
  });

  it("a link that only proves the path (impnet doctor's, quiet) reports nothing", { timeout: 30_000 }, async () => {
    const { reports, board } = await reportingDevice(() => {}, { quiet: true });
    await vi.waitFor(() => expect(board.snapshot().devices[0]!.state).toBe("online"), { timeout: 10_000 });
    expect(reports).toEqual([]);
  });

  it("a device cannot report as another, and a report the cloud cannot read is said and dropped", { timeout: 30_000 }, async () => {
    const { cloud, secret, reports, warnings, board } = await reportingDevice(() => {}, {}, false);
    cloud.registry.addDevice("rep-2");
    const connect = () => mqtt.connectAsync(cloud.url, { clientId: "rep-1", username: "rep-1", password: secret, protocolVersion: 4, reconnectPeriod: 0 });
    const forger = await connect();
    const closed = new Promise<void>((resolve) => forger.once("close", () => resolve()));
    forger.publish(topicFor("rep-2", "diag"), encodeReport(0, [{ t: 0, device: "rep-2", type: "sleep", seconds: 1 }], 0), { qos: 1 });
    await closed; // the broker closes a connection that publishes where it may not
    forger.end(true);
    const client = await connect();
    onCleanup(() => client.endAsync());
    await client.publishAsync(topicFor("rep-1", "diag"), "{not json", { qos: 1 });
    await client.publishAsync(topicFor("rep-1", "diag"), encodeReport(0, [{ t: 0, device: "rep-1", type: "resume" }], 0), { qos: 1 });
    await vi.waitFor(() => expect(reports).toHaveLength(1), { timeout: 5_000 });
    expect(reports[0]).toMatchObject({ device: "rep-1", type: "resume" });
    expect(warnings).toEqual(["a report from the device that impnet cannot read (not JSON): dropped"]);
    expect(board.snapshot().devices.map((d) => d.id)).toEqual(["rep-1"]);
  });
});

describe("device reports: the board", () => {
  it("counts a reported failure in the minute it happened, an earlier one included; a device that vanished after saying it would sleep is offline, not asleep; an unknown device's report is ignored", () => {
    const board = new DeviceBoard();
    board.know(["b"]);
    board.write({ t: 130_000, device: "b", type: "online", kind: "device" });
    const attempt = (t: number): ReportedLine => ({ t, device: "b", type: "attempt", interface: "eth0", interfaceType: "ethernet", reason: C.NO_SERVER, reasonName: "NO_SERVER", ms: 5, layer: "tcp", detail: "ECONNREFUSED", layers: [] });
    board.report("b", [attempt(10_000), attempt(70_000), { t: 129_000, device: "b", type: "connected", interface: "eth0" }, { t: 140_000, device: "b", type: "sleep", seconds: 60 }], 2);
    expect(board.snapshot().minutes).toEqual([
      { at: 0, connects: 0, failures: 1, messages: 0 },
      { at: 60_000, connects: 0, failures: 1, messages: 0 },
      { at: 120_000, connects: 1, failures: 0, messages: 0 },
    ]);
    expect(board.snapshot().devices[0]).toMatchObject({ failed: 4, lastFailure: "NO_SERVER at tcp: ECONNREFUSED", interface: "eth0" });
    board.write({ t: 150_000, device: "b", type: "offline", kind: "device", why: "keepalive timeout" });
    expect(board.snapshot().devices[0]).toMatchObject({ state: "offline", last: "keepalive timeout" });
    board.report("nobody", [attempt(1)], 0);
    expect(board.history("nobody")).toBeNull();
    expect(board.history("b")!.lines).toHaveLength(4);
  });
});
