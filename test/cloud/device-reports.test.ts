import fc from "fast-check";
import mqtt from "mqtt";
import { describe, expect, it, vi } from "vitest";
import { RealClock } from "../../src/clock/real-clock.js";
import { VirtualClock } from "../../src/clock/virtual-clock.js";
import * as C from "../../src/constants.js";
import { DeviceBoard } from "../../src/cloud/dashboard/device-board.js";
import { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import { Device } from "../../src/device/device.js";
import type { ProgramEntry } from "../../src/device/device.js";
import { ElapsedClock } from "../../src/network/host/elapsed-clock.js";
import { HostLink } from "../../src/network/host/host-link.js";
import type { HostLinkOptions } from "../../src/network/host/host-link.js";
import { DeviceReporter } from "../../src/network/host/device-reporter.js";
import type { ReportChannel } from "../../src/network/host/device-reporter.js";
import type { TimelineEvent } from "../../src/timeline/events.js";
import { decodeReport, encodeReport, MAX_DETAIL_CHARS, MAX_LAYERS, REPORT_CHUNK_LINES, REPORT_HORIZON_MS, REPORT_LINES } from "../../src/wire/device-report.js";
import { REPORT_BURST } from "../../src/cloud/report-watch.js";
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
      fc.property(fc.array(reportedLine, { maxLength: REPORT_LINES }), fc.nat(1000), time, fc.integer({ min: -1e9, max: 1e9 }), (lines, dropped, later, skew) => {
        const now = Math.max(0, ...lines.map((l) => l.t)) + later; // a device sends after its lines, never before
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

  it("a line beyond the wire's limits is cut to them on the way, never costing the whole report", () => {
    const long: ReportedLine = { t: 5, device: "d", type: "attempt", interface: "eth0", interfaceType: "ethernet", reason: C.NO_SERVER, reasonName: "NO_SERVER", ms: 1, layer: "tcp", detail: "x".repeat(5000), layers: Array.from({ length: 40 }, (_, i) => ({ layer: "tcp", start: i, ms: 1, ok: false })) };
    const r = decodeReport(Buffer.from(encodeReport(10, [long, { t: 6, device: "d", type: "resume" }], 0)), "d", 10);
    if ("refused" in r) throw new Error(r.refused);
    const [cut] = r.lines as [Attempt];
    expect(cut.detail).toHaveLength(MAX_DETAIL_CHARS);
    expect(cut.detail!.endsWith("…")).toBe(true);
    expect(cut.layers).toHaveLength(MAX_LAYERS);
    expect(r.lines).toHaveLength(2);
  });

  it("a report whose lines lie about time is refused: later than the report, or further back than REPORT_HORIZON_MS, or past a device's century", () => {
    const refused = (now: number, t: number) => {
      const r = decodeReport(Buffer.from(JSON.stringify({ now, dropped: 0, lines: [{ type: "resume", t }] })), "d", 0);
      return "refused" in r ? r.refused : "";
    };
    expect(refused(1000, 1001)).toMatch(/^lines: a line later than the report/);
    expect(refused(REPORT_HORIZON_MS + 10, 5)).toMatch(/more than 31 days before it/);
    expect(refused(1e300, 1e300)).toMatch(/^now/);
    expect(refused(1000, -1)).toMatch(/^lines\.0\.t/);
    expect(refused(1000, 1000)).toBe("");
  });
});

/** A session as the reporter sees it: greeted or not, and the reports handed to it, each with its callback. */
function channel(greeted = true) {
  const sent: { payload: { now: number; dropped: number; lines: { t: number }[] }; done: (ok: boolean) => void }[] = [];
  const c: ReportChannel & { sent: typeof sent } = { greeted, sent, report: (payload, done) => void sent.push({ payload: JSON.parse(payload) as (typeof sent)[number]["payload"], done }) };
  return c;
}

describe("device reports: the device's side", () => {
  const resume = (t: number): TimelineEvent => ({ t, device: "d", type: "resume" });

  it("keeps at most REPORT_LINES lines while it cannot send, the oldest going first and counted; sends them REPORT_CHUNK_LINES at a time, one report in flight", () => {
    const reporter = new DeviceReporter(() => 9999);
    expect(reporter.record({ t: 0, device: "d", type: "log", text: "not reported", error: false }, null)).toBe(false);
    for (let t = 0; t < REPORT_LINES + 5; t++) expect(reporter.record(resume(t), null)).toBe(true);
    const live = channel();
    reporter.flush(live);
    expect(live.sent).toHaveLength(1);
    expect(live.sent[0]!.payload.dropped).toBe(5);
    expect(live.sent[0]!.payload.lines.map((l) => l.t)).toEqual(Array.from({ length: REPORT_CHUNK_LINES }, (_, i) => i + 5));
    reporter.record(resume(500), live); // waits: one report in flight
    expect(live.sent).toHaveLength(1);
    for (let i = 0; i < live.sent.length; i++) live.sent[i]!.done(true);
    const times = live.sent.flatMap((r) => r.payload.lines.map((l) => l.t));
    expect(times).toEqual([...Array.from({ length: REPORT_LINES }, (_, i) => i + 5), 500]);
    expect(live.sent.slice(1).map((r) => r.payload.dropped)).toEqual(live.sent.slice(1).map(() => 0));
  });

  it("sends nothing before the session has greeted the cloud; a report not written is put back, first in line", () => {
    const reporter = new DeviceReporter(() => 0);
    const early = channel(false);
    reporter.record(resume(1), early);
    expect(early.sent).toEqual([]);
    const live = channel();
    reporter.flush(live);
    live.sent[0]!.done(false);
    reporter.record(resume(2), live);
    expect(live.sent.map((r) => r.payload.lines.map((l) => l.t))).toEqual([[1], [1, 2]]);
  });

  it("a report whose session died unanswered is sent again on the next session, and its late answer changes nothing", () => {
    const reporter = new DeviceReporter(() => 0);
    const dying = channel();
    reporter.record(resume(1), dying);
    reporter.record(resume(2), null); // the session is gone; its report never answered
    const next = channel();
    reporter.flush(next);
    expect(next.sent.map((r) => r.payload.lines.map((l) => l.t))).toEqual([[1, 2]]);
    dying.sent[0]!.done(false); // too late: already put back and sent again
    next.sent[0]!.done(true);
    reporter.flush(next);
    expect(next.sent).toHaveLength(1);
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
    const untilConnected = <L extends { type: string }>(all: L[]) => all.slice(0, all.findIndex((l) => l.type === "connected") + 1);
    const own = untilConnected(lines).filter((l) => ["boot", "attempt", "connected"].includes(l.type));
    const told = untilConnected(reports);
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

describe("device reports: the cloud's side", () => {
  /** The embedded cloud on a clock that never moves: a budget refills by time, so here it never does. */
  async function stillCloud() {
    const clock = new VirtualClock();
    const reports: string[] = [];
    const warnings: string[] = [];
    const cloud = await EmbeddedCloud.start({ dataDir: tempDir(), port: 0, clock, wall: clock, sink: { write: (e) => void (e.type === "warning" && warnings.push(e.text)) }, reports: (id, lines) => reports.push(...lines.map((l) => `${id} ${l.type}`)) });
    onCleanup(() => cloud.stop());
    return { cloud, reports, warnings };
  }

  it(`a device that floods its diag topic gets REPORT_BURST reports through and one warning; the rest are dropped, the broker keeps serving it`, { timeout: 30_000 }, async () => {
    const { cloud, reports, warnings } = await stillCloud();
    const secret = cloud.registry.addDevice("flood");
    const client = await mqtt.connectAsync(cloud.url, { clientId: "flood", username: "flood", password: secret, protocolVersion: 4, reconnectPeriod: 0 });
    onCleanup(() => client.endAsync());
    for (let i = 0; i < REPORT_BURST + 30; i++) await client.publishAsync(topicFor("flood", "diag"), encodeReport(0, [{ t: 0, device: "flood", type: "resume" }], 0), { qos: 1 });
    await client.publishAsync(topicFor("flood", "log"), JSON.stringify({ text: "still here", error: false }), { qos: 1 });
    expect(reports).toHaveLength(REPORT_BURST);
    expect(warnings).toEqual(["reports from the device come faster than one a second: dropped until it slows down"]);
  });

  it("an agent host subscribed to whole partitions is not sent devices' reports (they are the cloud's), but still their logs", { timeout: 30_000 }, async () => {
    const { cloud, reports } = await stillCloud();
    const deviceSecret = cloud.registry.addDevice("dev-f");
    const serviceSecret = cloud.registry.addService("agents");
    const host = await mqtt.connectAsync(cloud.url, { clientId: "agents:f", username: "agents", password: serviceSecret, protocolVersion: 4, reconnectPeriod: 0 });
    onCleanup(() => host.endAsync());
    const got: string[] = [];
    host.on("message", (topic) => got.push(topic.split("/")[3]!));
    await host.subscribeAsync("impnet/+/+/+", { qos: 1 });
    const device = await mqtt.connectAsync(cloud.url, { clientId: "dev-f", username: "dev-f", password: deviceSecret, protocolVersion: 4, reconnectPeriod: 0 });
    onCleanup(() => device.endAsync());
    await device.publishAsync(topicFor("dev-f", "diag"), encodeReport(0, [{ t: 0, device: "dev-f", type: "resume" }], 0), { qos: 1 });
    await device.publishAsync(topicFor("dev-f", "log"), JSON.stringify({ text: "hi", error: false }), { qos: 1 });
    await vi.waitFor(() => expect(got).toContain("log"), { timeout: 5_000 });
    expect(got).not.toContain("diag");
    expect(reports).toEqual(["dev-f resume"]);
  });
});

describe("device reports: the board", () => {
  it("keeps the agent's log lines in the device's stream, marked, without counting them as messages the cloud received", () => {
    const board = new DeviceBoard();
    board.know(["a"]);
    board.write({ t: 10, device: "a", type: "log", text: "from the device", error: false });
    board.write({ t: 20, device: "a", type: "log", text: "from the agent", error: false, agent: true });
    expect(board.history("a")!.logs).toEqual([
      { id: "a", t: 10, text: "from the device", error: false },
      { id: "a", t: 20, text: "from the agent", error: false, agent: true },
    ]);
    expect(board.snapshot().minutes).toEqual([{ at: 0, connects: 0, failures: 0, messages: 1 }]);
    expect(board.snapshot().devices[0]!.logs).toBe(2);
  });

  it("a device whose goodbye reached the board before its report of going to sleep is asleep all the same", () => {
    const board = new DeviceBoard();
    board.write({ t: 1000, device: "s", type: "online", kind: "device" });
    board.write({ t: 5000, device: "s", type: "offline", kind: "device", why: "disconnected" });
    expect(board.snapshot().devices[0]!.state).toBe("offline");
    board.report("s", [{ t: 4990, device: "s", type: "sleep", seconds: 600 }], 0);
    expect(board.snapshot().devices[0]).toMatchObject({ state: "asleep", last: "asleep for 600 s", since: 5000 });
  });

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
    expect(board.snapshot().devices[0]).toMatchObject({ failed: 2, lost: 2, lastFailure: "NO_SERVER at tcp: ECONNREFUSED", interface: "eth0" });
    board.write({ t: 150_000, device: "b", type: "offline", kind: "device", why: "keepalive timeout" });
    expect(board.snapshot().devices[0]).toMatchObject({ state: "offline", last: "keepalive timeout" });
    board.report("nobody", [attempt(1)], 0);
    expect(board.history("nobody")).toBeNull();
    expect(board.history("b")!.lines).toHaveLength(4);
  });
});
