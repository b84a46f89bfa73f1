import { createWriteStream } from "node:fs";
import path from "node:path";
import { RealClock } from "../clock/real-clock.js";
import { findTestFiles, loadTestConfig, TestConfigError } from "../impunit/config.js";
import { runSession } from "../impunit/session.js";
import { CompileError } from "../squirrel/compiler/compile-error.js";
import { testReportHtml } from "../report/test-report.js";
import { CliInputError } from "./cli-errors.js";
import { CountBar } from "./count-bar.js";
import { checkWritable, writeReport } from "./report-file.js";
import { realTarget, serviceCredentials } from "./run-command.js";
import type { SessionEvent } from "../impunit/session.js";
import { libraryFolders } from "../programs/squirrel/load-squirrel.js";
import { loadScenario, parseScenario } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";
import { StreamSink } from "../timeline/sinks.js";
import type { TimelineSink } from "../timeline/events.js";
import type { CliIo } from "./sim-command.js";

export interface TestCommandOptions {
  config?: string;
  tests?: string;
  scenario?: string;
  libs?: string[];
  vars?: Record<string, string>;
  seed?: number;
  json?: boolean;
  timeline?: string;
  /** --server URL --id ID: on the host stack (secrets as for `impnet run`). */
  server?: string;
  id?: string;
  /** --turn-limit, ms. */
  turnLimit?: number;
  /** Also write the results as a self-contained HTML page to this file. */
  html?: string;
  /** No progress bar (the results are printed all the same). */
  quiet?: boolean;
  /** false with --no-reports (with --server). */
  reports?: boolean;
}

/** `--tests FILE:Case::method` (each part optional): which sessions and steps run. */
function selection(spec: string | undefined): { file?: string; case?: string; method?: string } {
  if (spec === undefined) return {};
  const m = /^([^:]*)(?::([^:]*)(?:::(.*))?)?$/.exec(spec);
  if (m === null) throw new TestConfigError(`--tests: expected FILE:Case::method (each part optional), got "${spec}"`);
  const out: { file?: string; case?: string; method?: string } = {};
  if (m[1] !== undefined && m[1] !== "") out.file = m[1];
  if (m[2] !== undefined && m[2] !== "") out.case = m[2];
  if (m[3] !== undefined && m[3] !== "") out.method = m[3];
  return out;
}

const NULL_SINK: TimelineSink = { write: () => {} };

/**
 * `impnet test [FILES…]` (T3): each test file a session on the simulator;
 * results for people or as JSON lines; exit 0 all passed, 1 a failure or a
 * broken session, 2 bad input.
 */
export async function testCommand(files: string[], options: TestCommandOptions, io: CliIo & { env?: NodeJS.ProcessEnv }): Promise<number> {
  const env = io.env ?? process.env;
  const configFile = path.resolve(options.config ?? ".impt.test");
  const config = loadTestConfig(configFile);
  const only = selection(options.tests);
  let tests = findTestFiles(config, files);
  if (only.file !== undefined) {
    const want = only.file;
    tests = tests.filter((t) => path.relative(config.dir, t.file).includes(want) || t.file.endsWith(want));
    if (tests.length === 0) throw new TestConfigError(`--tests: no test file matches "${want}"`);
  }
  const vars = { ...config.vars, ...(options.vars ?? {}) };
  const load = { libs: libraryFolders((options.libs ?? []).map((d) => path.resolve(d))), vars };
  const scenario: Scenario =
    options.scenario === undefined
      ? parseScenario({ duration: "1h", seed: options.seed ?? 1, devices: [{ id: "impnet-test", program: tests[0]!.file }] }, "impnet test", config.dir)
      : await loadScenario(options.scenario, options.seed === undefined ? {} : { seed: options.seed });

  if ((options.server === undefined) !== (options.id === undefined)) throw new CliInputError("--server and --id go together");
  if (options.server !== undefined && options.scenario !== undefined) throw new CliInputError("--scenario is for the simulator; --server runs on the real network");
  const real =
    options.server === undefined
      ? undefined
      : {
          target: realTarget({ server: options.server, id: options.id!, ...(options.turnLimit === undefined ? {} : { turnLimit: options.turnLimit }), ...(options.reports === false ? { reports: false } : {}) }, env, tests[0]!.file),
          ...(env.IMPNET_SERVICE_SECRET === undefined ? {} : { credentials: serviceCredentials(env) }),
        };

  if (options.html !== undefined) checkWritable(options.html, "--html");
  const json = options.json === true;
  const records: Record<string, unknown>[] = []; // what --json prints, kept for --html
  const color = !json && (io.stdout as { isTTY?: boolean }).isTTY === true;
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const out = (line: unknown) => void io.stdout.write(`${json ? JSON.stringify(line) : String(line)}\n`);
  /** A result line: the record to --json and --html, the text to people. */
  const say = (record: Record<string, unknown>, text: string) => {
    records.push(record);
    out(json ? record : text);
  };
  const timeline = options.timeline === undefined ? null : createWriteStream(path.resolve(options.timeline));
  const sink: TimelineSink = timeline === null ? NULL_SINK : new StreamSink(timeline, "json");

  const wall = new RealClock();
  const started = wall.now();
  const totals = { sessions: 0, tests: 0, assertions: 0, failures: 0 };
  let broken = false;
  let deviceMs = 0; // what the sessions would take on devices, at the least: their time on the session clock
  // The results stream to stdout a line a test, as sim's timeline does: a bar beside them on the same terminal
  // would tear them, so as for sim only when they go to a file or pipe (on a terminal the lines are the progress).
  const bar = !json && options.quiet !== true && io.stderr.isTTY === true && io.stdout.isTTY !== true ? new CountBar(io.stderr, path.basename(configFile), tests.length, "files") : undefined;
  let done = 0; // sessions over
  let running = ""; // the file, and the case of its last step reported
  const progress = () => bar?.update(done, `${totals.tests} tests, ${totals.failures} failures`, running);
  try {
    for (const t of tests) {
      const file = path.relative(config.dir, t.file); // as .impt.test's globs name it
      totals.sessions++;
      running = file;
      progress();
      say({ type: "session", file }, paint("1", file));
      const onEvent = (e: SessionEvent) => {
        if (e.type === "test") {
          running = `${file}, ${e.case}`;
          totals.assertions += e.assertions;
          if (e.test) totals.tests++;
          if (!e.ok) totals.failures++;
          if (e.test || !e.ok) {
            const line: Record<string, unknown> = { type: "test", file, case: e.case, method: e.method, status: e.ok ? "ok" : "fail", assertions: e.assertions, ms: e.ms };
            if (e.message !== undefined) line.message = e.message;
            if (e.where !== undefined) line.where = e.where;
            const what = `  ${e.case}::${e.method}()`;
            say(line, e.ok ? `${what} ${paint("32", "OK")}` : `${what} ${paint("31", "FAIL")}: ${e.message ?? "failed"}${e.where === undefined ? "" : ` at ${e.where}`}`);
          }
        } else if (e.type === "info") say({ type: "info", file, text: e.text }, `  info: ${e.text}`);
        else if (e.type === "runtime-error") say({ type: "runtime-error", file, side: e.side, message: e.message }, `  ${paint("33", `${e.side} error`)}: ${e.message}`);
        else {
          broken = true;
          say({ type: "session-error", file, message: e.message }, `  ${paint("31", "session error")}: ${e.message}`);
        }
        progress();
      };
      const only2 = { ...(only.case === undefined ? {} : { case: only.case }), ...(only.method === undefined ? {} : { method: only.method }) };
      let passed: boolean;
      try {
        const session = await runSession({ config, file: t.file, agentSide: t.agentSide, ...(t.partner === undefined ? {} : { partner: t.partner }), load, scenario, only: only2, sink, onEvent, ...(real === undefined ? {} : { real }), ...(options.turnLimit === undefined ? {} : { turnLimitMs: options.turnLimit }) });
        passed = session.passed;
        deviceMs += session.ms;
      } catch (e) {
        // A program that does not compile breaks its session (T1); other sessions still run.
        if (!(e instanceof CompileError)) throw e;
        onEvent({ type: "session-error", message: e.message });
        passed = false;
      }
      done++;
      progress();
      if (!passed && config.stopOnFail) break;
    }
  } finally {
    bar?.clear(); // before the summary, or before what a crash prints; it stops the bar's redrawing too
  }
  timeline?.end();
  const seconds = ((wall.now() - started) / 1000).toFixed(1);
  say({ type: "summary", ...totals }, `${totals.tests} tests, ${totals.assertions} assertions, ${totals.failures} failures (${totals.sessions} sessions, ${seconds} s${real === undefined ? `; ${(deviceMs / 1000).toFixed(0)} s of device time` : ""})`);
  if (options.html !== undefined)
    writeReport(options.html, testReportHtml({ config: path.basename(configFile), where: real === undefined ? "the simulator" : `the host stack against ${options.server ?? ""}`, wallMs: wall.now() - started, deviceMs: real === undefined ? deviceMs : null, records }), "--html");
  return totals.failures > 0 || broken ? 1 : 0;
}
