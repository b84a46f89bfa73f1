import { selfBounded } from "../clock/turn-guard.js";
import path from "node:path";
import { spawn } from "node:child_process";
import type { AgentEntry } from "../cloud/agent-runtime.js";
import type { ProgramEntry } from "../device/device.js";
import type { Bridge } from "../programs/squirrel/bridge.js";
import { composeSquirrel, squirrelPart, textPart } from "../programs/squirrel/load-squirrel.js";
import type { SquirrelLoadOptions, SquirrelPart } from "../programs/squirrel/load-squirrel.js";
import { squirrelAgentProgram, squirrelDeviceProgram } from "../programs/squirrel/squirrel-program.js";
import type { RootExtension } from "../programs/squirrel/squirrel-program.js";
import { Simulation } from "../scenario/simulation.js";
import { RealClock } from "../clock/real-clock.js";
import { ElapsedClock } from "../network/host/elapsed-clock.js";
import { startRealDevice } from "../programs/real-device.js";
import type { RealTarget } from "../programs/real-device.js";
import type { Scenario } from "../scenario/types.js";
import { native, nativeTable } from "../squirrel/builtins/native.js";
import { toText } from "../squirrel/bytes.js";
import { call } from "../squirrel/runtime/calls.js";
import { caughtValue, uncatchable } from "../squirrel/runtime/errors.js";
import { get } from "../squirrel/runtime/access.js";
import { toStr } from "../squirrel/runtime/ops.js";
import { SqTable } from "../squirrel/table.js";
import { SqError } from "../squirrel/values.js";
import type { SqCallResult } from "../squirrel/values.js";
import type { TimelineSink } from "../timeline/events.js";
import { TestConfigError } from "./config.js";
import type { TestConfig } from "./config.js";
import { frameworkParts } from "./framework.js";

/** What a session reports, in order: the runner's results, infos, errors outside tests, and how it ended. */
export type SessionEvent =
  | { type: "test"; case: string; method: string; test: boolean; ok: boolean; message?: string; where?: string; assertions: number; ms: number }
  | { type: "info"; text: string }
  | { type: "runtime-error"; side: "device" | "agent"; message: string }
  | { type: "session-error"; message: string };

export interface SessionOptions {
  config: TestConfig;
  /** The test file (absolute) and whether it is agent code. */
  file: string;
  agentSide: boolean;
  /** Its partner on the other side, if there is one. */
  partner?: string;
  load: SquirrelLoadOptions;
  /** The world: a scenario whose first device the session's device takes the place of. */
  scenario: Scenario;
  only?: { case?: string; method?: string };
  sink: TimelineSink;
  /** --server: the session's device runs on the host stack against that server instead of the simulator. */
  real?: { target: RealTarget; credentials?: { user: string; secret: string } };
  /** The simulator's turn limit (--turn-limit); on the host stack the target carries it. */
  turnLimitMs?: number;
  /** Each test, info line, error and break, as it happens. */
  onEvent(e: SessionEvent): void;
}

/**
 * impt deploys each session to an online device: the agent restarts at once,
 * and the device runs the new code once it has downloaded it. impt's logs show
 * the device's code-space line before the agent's runner starts (2 s), and
 * libraries' suites are tuned to that order (MessageManager delays its
 * device by 1 s so the agent is ready): 1.5 s sits between.
 */
export const DEPLOY_MS = 1500;

/** How long a session on the real stack may take before it counts as hung (its runner never finished). */
export const REAL_SESSION_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * One test file's session (T1): a fresh simulated device and agent, the test
 * side running framework + code under test + the test file, the other side
 * its own file and the partner, deployed as impt deploys (DEPLOY_MS); the
 * runner starts 2 s after its side's program, as impt's bootstrap does.
 */
export async function runSession(o: SessionOptions): Promise<{ passed: boolean; /** How long the session ran on its clock: virtual time on the simulator. */ ms: number }> {
  let done = false;
  let failed = false;
  const commands: Promise<void>[] = [];
  const emit = (e: SessionEvent) => {
    if ((e.type === "test" && !e.ok) || e.type === "session-error") failed = true;
    o.onEvent(e);
  };
  /** Where the session runs: the simulator, or (--server) the host stack on the real clock. */
  const box: { now?: () => number; change?: (set: Record<string, unknown>) => void; stop?: () => void } = {};

  const extension: RootExtension = (root: SqTable, bridge: Bridge) => {
    const testFile = o.file;
    // impnet's own extension, only in test sessions: the test changes the simulated world itself.
    const world = nativeTable([
      native("set", 3, ". s", (_s, [p, value]) => {
        try {
          box.change!({ [toText(p as string)]: bridge.toJs(value!) });
        } catch (e) {
          throw new SqError(`impnet.world.set: ${e instanceof Error ? e.message.split("\n").map((l) => l.trim()).join(" ") : String(e)}`);
        }
        return null;
      }),
    ]);
    root.newSlot("impnet", nativeTable([], [["world", world]]));
    root.newSlot(
      "__impnet_test",
      nativeTable([
        native("now", 1, null, () => Math.floor(box.now!())),
        native("info", 2, null, (_s, [v]) => {
          emit({ type: "info", text: toText(toStr(v!)) });
          return null;
        }),
        native("result", 2, null, (_s, [r]) => {
          const t = bridge.toJs(r!) as { name: string; method: string; test: boolean; ok: boolean; message: string | null; where: string | null; assertions: number; ms: number };
          const e: SessionEvent = { type: "test", case: t.name, method: t.method, test: t.test, ok: t.ok, assertions: t.assertions, ms: t.ms };
          if (t.message !== null) e.message = t.message;
          if (t.where !== null) e.where = t.where;
          emit(e);
          return null;
        }),
        native("done", 1, null, () => {
          done = true;
          box.stop?.();
          return null;
        }),
        native("runCommand", 2, null, (_s, [cmd]) => {
          commands.push(runCommand(toText(toStr(cmd ?? "")), o.config.dir, o.config.timeoutS, (message) => emit({ type: "session-error", message })));
          return null;
        }),
        // Runs one step with the instance as `this`; an error comes back as data, with the test file's line it came from.
        native(
          "attempt",
          3,
          null,
          function* (_s, [instance, method]): SqCallResult {
            const result = new SqTable();
            try {
              const value = yield* call(get(instance!, method!), instance!, []);
              result.newSlot("ok", true);
              result.newSlot("value", value);
            } catch (e) {
              if (uncatchable(e)) throw e;
              result.newSlot("ok", false);
              result.newSlot("error", caughtValue(e));
              result.newSlot("where", whereIn(e, testFile, bridge));
            }
            return result;
          },
          true,
        ),
      ]),
    );
  };

  const side = (agent: boolean): SquirrelPart[] => {
    const own = agent ? o.config.agentFile : o.config.deviceFile;
    const parts: SquirrelPart[] = [];
    if (own !== undefined) parts.push(squirrelPart(own, o.load, o.config.dir));
    return parts;
  };
  const testSide: SquirrelPart[] = [
    ...frameworkParts(o.load),
    ...side(o.agentSide),
    textPart("function __impnet_tests(ImpTestCase) {", "(impnet test session)"),
    squirrelPart(o.file, o.load, o.config.dir),
    textPart(
      [
        "}",
        "__impnet_tests(ImpTestCase);",
        "imp.wakeup(2, function() {",
        "  local runner = __ImpnetTestRunner();",
        `  runner.timeout = ${o.config.timeoutS};`,
        `  runner.stopOnFail = ${o.config.stopOnFail};`,
        o.only?.case === undefined ? "" : `  runner.onlyCase = ${JSON.stringify(o.only.case)};`,
        o.only?.method === undefined ? "" : `  runner.onlyMethod = ${JSON.stringify(o.only.method)};`,
        "  runner.run();",
        "});",
      ].join("\n"),
      "(impnet test session)",
    ),
  ];
  const otherSide = [...side(!o.agentSide), ...(o.partner === undefined ? [] : [squirrelPart(o.partner, o.load, o.config.dir)])];
  const testSource = composeSquirrel(testSide, o.file);
  const otherSource = otherSide.length === 0 ? null : composeSquirrel(otherSide, o.partner ?? o.file);

  let device: ProgramEntry;
  let agent: AgentEntry | undefined;
  if (o.agentSide) {
    agent = squirrelAgentProgram(testSource, extension);
    device = otherSource === null ? selfBounded(() => {}) : squirrelDeviceProgram(otherSource);
  } else {
    device = squirrelDeviceProgram(testSource, extension);
    agent = otherSource === null ? undefined : squirrelAgentProgram(otherSource);
  }

  // One device: the session's. A scenario with several gives its first one's release, interfaces and network.
  const scenario: Scenario = { ...o.scenario, devices: o.scenario.devices.slice(0, 1) };
  const errorsTo: TimelineSink = {
    write: (line) => {
      o.sink.write(line);
      if (line.type === "error") emit({ type: "runtime-error", side: line.text.startsWith("agent: ") ? "agent" : "device", message: line.text.replace(/^agent: /, "") });
      if (line.type === "disconnected" && !line.expected && !o.config.allowDisconnect && !done) emit({ type: "session-error", message: "Device disconnected" });
      // A restart (after an error, or a wake from deep sleep) starts the program, runner and all, again: the session is over.
      if (line.type === "boot" && line.cause !== "cold" && !done && !o.agentSide) {
        emit({ type: "session-error", message: `the device restarted (${line.cause === "error" ? "after a runtime error" : "woke from deep sleep"}) before the tests finished` });
        done = true;
        box.stop?.();
      }
    },
  };
  if (o.real === undefined) {
    const sim = await Simulation.create(scenario, { sink: errorsTo, programFor: () => device, agentFor: () => agent, deployMs: DEPLOY_MS, ...(o.turnLimitMs === undefined ? {} : { turnLimitMs: o.turnLimitMs }) });
    box.now = () => sim.clock.now();
    box.change = (set) => sim.change(set);
    box.stop = () => sim.stop();
    await sim.run();
  } else {
    const clock = new ElapsedClock(new RealClock());
    box.now = () => clock.now();
    box.change = () => {
      throw new Error("the world is real here (--server): it changes only on the simulator");
    };
    const finished = new Promise<void>((resolve) => {
      box.stop = resolve;
      clock.setTimer(REAL_SESSION_TIMEOUT_MS, resolve);
    });
    if (agent !== undefined && o.real.credentials === undefined) throw new TestConfigError("this session has an agent: set IMPNET_SERVICE_SECRET (and IMPNET_SERVICE_USER) for the agent host");
    const running = await startRealDevice(o.real.target, device, agent === undefined ? undefined : { entry: agent, credentials: o.real.credentials! }, clock, errorsTo);
    await finished;
    await running.stop();
    clock.dispose();
  }
  await Promise.all(commands);
  if (!done) {
    const limit = o.real === undefined ? `${Math.round(scenario.durationMs / 1000)} s of virtual time` : `${REAL_SESSION_TIMEOUT_MS / 1000} s`;
    emit({ type: "session-error", message: `the test runner did not finish within the session's ${limit}` });
  }
  return { passed: !failed, ms: box.now() };
}

/** The test file's line an error passed through, innermost first: where the failing assertion was called. */
function whereIn(e: unknown, testFile: string, bridge: Bridge): string | null {
  if (!(e instanceof SqError)) return null;
  for (const f of e.frames) {
    const at = bridge.origin(f.line);
    if (path.resolve(at.file) === testFile) return `${path.basename(at.file)}:${at.line}`;
  }
  return null;
}

/** runCommand (T2): a host command in the config folder, not waited for by the test; a failure or a timeout fails the session. */
function runCommand(cmd: string, cwd: string, timeoutS: number, fail: (message: string) => void): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(cmd === "" ? "true" : cmd, { cwd, shell: true, stdio: "ignore" });
    const guard = AbortSignal.timeout(timeoutS * 1000);
    const onTimeout = () => {
      child.kill("SIGKILL");
      fail(`runCommand("${cmd}") did not finish within ${timeoutS} s`);
    };
    guard.addEventListener("abort", onTimeout);
    child.on("exit", (code) => {
      guard.removeEventListener("abort", onTimeout);
      if (code !== 0 && !guard.aborted) fail(`runCommand("${cmd}") exited with ${code ?? "a signal"}`);
      resolve();
    });
    child.on("error", (e) => {
      fail(`runCommand("${cmd}"): ${e.message}`);
      resolve();
    });
  });
}
