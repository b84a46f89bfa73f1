import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A test project: files by relative path; `.impt.test` defaults to impt's. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "impnet-test-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function impnetTest(dir: string, ...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(["node", "impnet", "test", "--config", path.join(dir, ".impt.test"), ...args], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
  });
  return { code, out, err, lines: () => out.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const config = (o: Record<string, unknown> = {}) => JSON.stringify({ timeout: 5, stopOnFail: false, allowDisconnect: false, ...o });

describe("T1 sessions and tests", () => {
  it("T1 test files by .impt.test's globs; one fresh device per file; one instance per case; setUp, sorted tests, tearDown", async () => {
    const dir = project({
      ".impt.test": config(),
      "A.test.nut": `
        ::shared <- ("shared" in getroottable()) ? "leaked" : "fresh";
        class A extends ImpTestCase {
          order = null;
          function setUp() { order = ["setUp"]; info("A setUp"); }
          function testB() { order.append("testB"); assertEqual("fresh", shared); }
          function testA() { order.append("testA"); }
          function tearDown() { order.append("tearDown"); info(order.reduce(@(a, b) a + "," + b)); }
        }`,
      "tests/sub/B.test.nut": `class B extends ImpTestCase { function testOne() { assertEqual("fresh", ("shared" in getroottable()) ? "leaked" : "fresh"); } }`,
      "notatest.nut": "this file is not Squirrel and is never read",
    });
    const r = await impnetTest(dir, "--json");
    expect(r.code).toBe(0);
    const lines = r.lines();
    expect(lines.filter((l) => l.type === "session").map((l) => l.file)).toEqual(["A.test.nut", path.join("tests", "sub", "B.test.nut")]);
    expect(lines.filter((l) => l.type === "test").map((l) => `${String(l.case)}::${String(l.method)}`)).toEqual(["A::testA", "A::testB", "B::testOne"]);
    expect(lines.filter((l) => l.type === "info").map((l) => l.text)).toEqual(["A setUp", "setUp,testA,testB,tearDown"]);
    expect(lines.at(-1)).toEqual({ type: "summary", sessions: 2, tests: 3, assertions: 2, failures: 0 });
  });

  it("T1 async steps: a Promise resolves (pass), rejects (its value is the message), or times out on the virtual clock; a sync step that takes too long fails", async () => {
    const dir = project({
      ".impt.test": config({ timeout: 2 }),
      "Async.test.nut": `
        class Async extends ImpTestCase {
          function testResolves() { return Promise(function(ok, no) { imp.wakeup(1, function() { ok(1); }); }); }
          function testRejects() { return Promise(function(ok, no) { imp.wakeup(1, function() { no("went wrong"); }); }); }
          function testHangs() { return Promise(function(ok, no) {}); }
          function testSlow() { imp.sleep(3); }
        }`,
    });
    const r = await impnetTest(dir, "--json");
    expect(r.code).toBe(1);
    const tests = r.lines().filter((l) => l.type === "test");
    expect(tests.map((t) => [t.method, t.status, t.message, t.ms])).toEqual([
      ["testHangs", "fail", "Test timed out after 2s", 2000],
      ["testRejects", "fail", "went wrong", 1000],
      ["testResolves", "ok", undefined, 1000],
      ["testSlow", "fail", "Test took 3s, longer than timeout of 2s", 3000],
    ]);
  });

  it("T1 a failing assertion is reported with the test file's line; stopOnFail ends the run at the first failure", async () => {
    const dir = project({
      ".impt.test": config({ stopOnFail: true }),
      "First.test.nut": `class First extends ImpTestCase {\n  function testA() {\n    assertEqual(1, 2);\n  }\n  function testB() {}\n}\n`,
      "Second.test.nut": `class Second extends ImpTestCase { function testC() {} }`,
    });
    const r = await impnetTest(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain("First::testA() FAIL: Expected value: 1, got: 2 at First.test.nut:3");
    expect(r.out).not.toContain("testB");
    expect(r.out).not.toContain("Second");
  });

  it("T1 agent test files run on the agent beside their device partner; device files beside their agent partner", async () => {
    const dir = project({
      ".impt.test": config(),
      "tests/Echo.agent.test.nut": `
        class EchoAgent extends ImpTestCase {
          function testRoundTrip() {
            return Promise(function(ok, no) {
              device.on("pong", function(d) { assertEqual(42, d); ok(); }.bindenv(this));
              device.send("ping", 41);
            }.bindenv(this));
          }
        }`,
      "tests/Echo.device.nut": `agent.on("ping", function(n) { agent.send("pong", n + 1); });`,
    });
    const r = await impnetTest(dir, "--json");
    expect(r.lines().filter((l) => l.type === "test").map((l) => l.status)).toEqual(["ok"]);
    expect(r.code).toBe(0);
  });

  it("T1 allowDisconnect false: a device that goes offline during the session breaks it", async () => {
    const dir = project({
      ".impt.test": config({ allowDisconnect: false, timeout: 200 }),
      "Drop.test.nut": `class Drop extends ImpTestCase { function testDrop() { impnet.world.set("world.server.up", false); return Promise(function(ok, no) { imp.wakeup(100, ok); }); } }`,
    });
    const r = await impnetTest(dir, "--json");
    expect(r.code).toBe(1);
    expect(r.lines().filter((l) => l.type === "session-error").map((l) => l.message)).toContain("Device disconnected");
  });
});

describe("T3 running", () => {
  it("T3 --tests selects a file, a case and a method; the same input gives the same output", async () => {
    const dir = project({
      ".impt.test": config(),
      "One.test.nut": `class One extends ImpTestCase { function testA() {} function testB() {} }`,
      "Two.test.nut": `class Two extends ImpTestCase { function testC() {} }`,
    });
    const a = await impnetTest(dir, "--json", "--tests", "One.test.nut:One::testB");
    expect(a.lines().filter((l) => l.type === "test").map((l) => l.method)).toEqual(["testB"]);
    const b = await impnetTest(dir, "--json", "--tests", "One.test.nut:One::testB");
    expect(b.out).toBe(a.out);
  });

  it("T3 --scenario: the session runs in that world and meets its events", async () => {
    const dir = project({
      ".impt.test": config({ allowDisconnect: true, timeout: 300 }),
      "outage.yaml": "duration: 30m\ndevices: [{ id: d, program: Outage.test.nut }]\nevents:\n  - { at: 30s, set: { world.server.up: false } }\n",
      "Outage.test.nut": `
        class Outage extends ImpTestCase {
          function testSeesTheOutage() {
            server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
            return Promise(function(ok, no) { server.onunexpecteddisconnect(function(r) { ok(); }); });
          }
        }`,
    });
    const r = await impnetTest(dir, "--json", "--scenario", path.join(dir, "outage.yaml"));
    expect(r.lines().filter((l) => l.type === "test").map((l) => l.status)).toEqual(["ok"]);
  });

  it("T3 bad input exits 2 with one line: no test files, a bad config", async () => {
    const empty = project({ ".impt.test": config() });
    const none = await impnetTest(empty);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no test files/);
    const bad = project({ ".impt.test": "{ not json" });
    const r = await impnetTest(bad);
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/not valid JSON/);
  });

  it("T1 T3 a test file that does not compile breaks its session with FILE:LINE:COLUMN; the others still run", async () => {
    const dir = project({ ".impt.test": config(), "Bad.test.nut": "class Bad extends ImpTestCase {\n  function testX( {}\n}\n", "Good.test.nut": "class Good extends ImpTestCase { function testY() {} }" });
    const r = await impnetTest(dir, "--json");
    expect(r.code).toBe(1);
    const lines = r.lines();
    expect(String(lines.find((l) => l.type === "session-error")?.message)).toMatch(/Bad\.test\.nut:2:\d+: /);
    expect(lines.filter((l) => l.type === "test").map((l) => l.method)).toEqual(["testY"]);
  });
});

describe("T1 what published libraries' suites rely on", () => {
  it("T1 a session is a deploy to an online device: the agent's tests find it connected, and a partner that waits 1 s before announcing itself reaches them", async () => {
    const dir = project({
      ".impt.test": config(),
      "tests/Deploy.agent.test.nut": `
        class Deploy extends ImpTestCase {
          hello = null;
          function setUp() { device.on("hello", function(d) { hello = d; }.bindenv(this)); }
          function testDeviceIsOnline() { assertTrue(device.isconnected()); }
          function testPartnerAnswers() {
            return Promise(function(ok, no) {
              device.on("pong", function(d) { ok(); });
              device.send("ping", 1);
            });
          }
          function testPartnerAnnouncedAfterTheRunnerStarted() {
            return Promise(function(ok, no) { imp.wakeup(1, function() { hello == "up" ? ok() : no("no hello"); }.bindenv(this)); }.bindenv(this));
          }
        }`,
      // As MessageManager's partners do: hold the device 1 s, then register and announce.
      "tests/Deploy.device.nut": `imp.sleep(1); agent.on("ping", function(d) { agent.send("pong", d); }); agent.send("hello", "up");`,
    });
    const r = await impnetTest(dir, "--json");
    expect(r.lines().filter((l) => l.type === "test").map((l) => `${String(l.method)} ${String(l.status)}`)).toEqual([
      "testDeviceIsOnline ok",
      "testPartnerAnnouncedAfterTheRunnerStarted ok",
      "testPartnerAnswers ok",
    ]);
  });

  it("T1 agentFile and deviceFile put the code under test on both sides, before the test file; the test file is wrapped as impt wraps it", async () => {
    const dir = project({
      ".impt.test": config({ agentFile: "Lib.nut", deviceFile: "Lib.nut" }),
      "Lib.nut": `class Lib { static VERSION = "1.0.0"; function side() { return imp.environment() == ENVIRONMENT_AGENT ? "agent" : "device"; } }`,
      "tests/Both.agent.test.nut": `
        local hidden = 5;
        class Both extends ImpTestCase {
          function testCodeUnderTestOnBothSides() {
            assertEqual("agent", Lib().side());
            return Promise(function(ok, no) {
              device.on("side", function(s) { s == "device" ? ok() : no(s); });
              device.send("side?", null);
            });
          }
          function testWrapping() {
            assertTrue("Both" in getroottable());
            assertTrue(!("hidden" in getroottable()));
          }
        }`,
      "tests/Both.device.nut": `agent.on("side?", function(_) { agent.send("side", Lib().side()); });`,
    });
    const r = await impnetTest(dir, "--json");
    expect(r.lines().filter((l) => l.type === "test").map((l) => l.status)).toEqual(["ok", "ok"]);
  });

  it("T1 S6 a test file's include expressions and github: includes resolve in its session, from --libs", async () => {
    const dir = project({
      ".impt.test": config(),
      "tests/Base.nut": `@include "github:acme/Helpers/Helpers.nut@v1.2.0"\nconst FROM_BASE = "base";`,
      "tests/sub/Inc.test.nut": `@include __PATH__ + "/../Base.nut"\nclass Inc extends ImpTestCase { function testIncluded() { assertEqual("base", FROM_BASE); assertEqual(3, helperAdd(1, 2)); } }`,
      "libs/acme/Helpers/Helpers.nut": "function helperAdd(a, b) { return a + b; }",
    });
    const r = await impnetTest(dir, "--json", "--libs", path.join(dir, "libs"));
    expect(r.lines().filter((l) => l.type === "test").map((l) => l.status)).toEqual(["ok"]);
    // Without the folder the library is missing: a set-up error, not a test failure.
    const without = await impnetTest(dir, "--json");
    expect(without.code).toBe(2);
    expect(without.err).toMatch(/tests\/Base\.nut:1:10: cannot include "github:acme\/Helpers\/Helpers\.nut@v1\.2\.0" not found: no library folders given/);
  });

  it("T1 code under test that defines Promise replaces the framework's, and the runner waits by instanceof that Promise", async () => {
    // A deliberately small Promise: settles once, runs handlers on a later turn.
    const own = `
      class Promise {
        _state = 0; _value = null; _handlers = null;
        constructor(executor) {
          _handlers = [];
          local settle = function(state, value) {
            if (_state != 0) return;
            _state = state; _value = value;
            foreach (h in _handlers) imp.wakeup(0, h.bindenv(this));
          }.bindenv(this);
          executor(function(v = null) { settle(1, v); }, function(e = null) { settle(2, e); });
        }
        function _on(state, fn) {
          local run = function() { if (_state == state) fn(_value); }.bindenv(this);
          if (_state == 0) _handlers.append(run); else imp.wakeup(0, run);
          return this;
        }
        function then(ok, no = null) { _on(1, ok); if (no != null) _on(2, no); return this; }
        function fail(no) { return _on(2, no); }
        function finally(fn) { _on(1, fn); return _on(2, fn); }
      }`;
    const dir = project({
      ".impt.test": config({ agentFile: "MyPromise.nut" }),
      "MyPromise.nut": own,
      "tests/Own.agent.test.nut": `
        class Own extends ImpTestCase {
          function testIsTheLibrarys() { assertTrue("_handlers" in Promise); }
          function testWaitedFor() { return Promise(function(ok, no) { imp.wakeup(1, function() { no("rejected a second later"); }); }); }
        }`,
    });
    const r = await impnetTest(dir, "--json");
    const tests = r.lines().filter((l) => l.type === "test");
    expect(tests.map((l) => `${String(l.method)} ${String(l.status)}`)).toEqual(["testIsTheLibrarys ok", "testWaitedFor fail"]);
    expect(tests[1]?.message).toBe("rejected a second later");
  });
});
