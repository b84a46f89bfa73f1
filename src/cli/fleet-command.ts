import path from "node:path";
import { BUILT_IN_STRATEGIES } from "../fleet/strategies.js";
import { readFleetSecrets } from "../fleet/fleet-secrets.js";
import { brokerEvents, runRealStrategy } from "../fleet/real-fleet.js";
import type { RealBrokerOptions } from "../fleet/real-fleet.js";
import { parseServerUrl } from "../network/host/endpoints.js";
import { resolveStrategy, runStrategy } from "../fleet/run-fleet.js";
import type { StrategyRun } from "../fleet/run-fleet.js";
import { loadScenario } from "../scenario/load.js";
import { formatTime } from "../timeline/human.js";
import { curveStep, sampleCurve } from "../report/curves.js";
import { fleetReportHtml } from "../report/fleet-report.js";
import { CliInputError } from "./cli-errors.js";
import { ProgressBar } from "./progress.js";
import { checkWritable, writeReport } from "./report-file.js";
import type { CliIo } from "./sim-command.js";

export interface FleetCommandOptions {
  devices?: number;
  /** On the host stack: real sockets against impnet serve in its own process, in real time. */
  real?: boolean;
  strategy?: string[];
  seed?: number;
  json?: boolean;
  libs?: string[];
  vars?: Record<string, string>;
  turnLimit?: number;
  /** An external broker's URL (implies real). */
  broker?: string;
  brokerCommand?: string;
  secrets?: string;
  /** Write a self-contained HTML report (the table, the curves) to this file. */
  html?: string;
  /** No progress bar. */
  quiet?: boolean;
}


/**
 * `impnet fleet SCENARIO`: the scenario's fleet once per retry strategy, and
 * what each did to the server (attempts arriving per second, their peak) and
 * how fast the fleet came back after the scenario's last event.
 */
export async function fleetCommand(file: string, options: FleetCommandOptions, io: CliIo): Promise<number> {
  const scenario = await loadScenario(file, { ...(options.seed === undefined ? {} : { seed: options.seed }), ...(options.devices === undefined ? {} : { count: options.devices }) });
  const load = { libs: [...(options.libs ?? []).map((d) => path.resolve(d)), ...scenario.libs], ...(options.vars === undefined ? {} : { vars: options.vars }) };
  const names = options.strategy ?? Object.keys(BUILT_IN_STRATEGIES);
  const strategies = [];
  for (const name of names) strategies.push(await resolveStrategy(name, load)); // every name checked before the first run
  const broker = externalBroker(options, scenario.devices.map((d) => d.id));
  const real = options.real === true || broker !== undefined;
  if (real) brokerEvents(scenario, broker === undefined || broker.command !== undefined); // refused before anything runs
  if (options.html !== undefined) checkWritable(options.html, "--html");
  const json = options.json === true;
  const progress = !json && options.quiet !== true && io.stderr.isTTY === true;
  const runs: StrategyRun[] = [];
  for (const strategy of strategies) {
    const bar = progress ? new ProgressBar(io.stderr, `${strategy.name}:`, scenario.durationMs, real ? "real time" : "virtual", real ? "lines" : "events") : undefined;
    const runOptions = {
      ...(options.turnLimit === undefined ? {} : { turnLimitMs: options.turnLimit }),
      ...(bar === undefined ? {} : { onProgress: (ms: number, events: number) => bar.update(ms, events) }),
    };
    const run = real ? await runRealStrategy(scenario, strategy, { ...runOptions, ...(broker === undefined ? {} : { broker }) }) : await runStrategy(scenario, strategy, runOptions);
    bar?.clear();
    if (json) io.stdout.write(`${JSON.stringify(report(run, scenario.durationMs))}\n`);
    runs.push(run);
  }
  const time = real ? `real time, on the host stack against ${options.broker ?? "impnet serve"}` : "virtual time";
  if (!json) io.stdout.write(table(runs, file, scenario.devices.length, scenario.durationMs, time));
  if (options.html !== undefined) {
    const html = fleetReportHtml({ file: path.basename(file), devices: scenario.devices.length, durationMs: scenario.durationMs, time, sinceMs: runs[0]?.sinceMs ?? 0, fromMs: runs[0]?.fromMs ?? 0, strategies: runs.map((r) => report(r, scenario.durationMs)) });
    writeReport(options.html, html, "--html");
  }
  return 0;
}

/** --broker, --broker-command and --secrets, checked together before anything runs. */
function externalBroker(options: FleetCommandOptions, ids: readonly string[]): RealBrokerOptions | undefined {
  if (options.broker === undefined) {
    if (options.brokerCommand !== undefined) throw new CliInputError("--broker-command: give --broker too, the URL where the command's broker listens");
    if (options.secrets !== undefined) throw new CliInputError("--secrets: only for an external --broker (impnet serve registers the fleet itself)");
    return undefined;
  }
  if (options.brokerCommand?.trim() === "") throw new CliInputError("--broker-command: empty");
  return {
    server: parseServerUrl(options.broker, "--broker"),
    ...(options.brokerCommand === undefined ? {} : { command: options.brokerCommand }),
    ...(options.secrets === undefined ? {} : { secrets: readFleetSecrets(options.secrets, ids) }),
  };
}

/** One strategy's figures as a JSON line: the numbers, and the curves sampled at `stepMs`. */
export function report(run: StrategyRun, durationMs: number): Record<string, unknown> {
  const f = run.figures;
  const step = curveStep(f.arrivals.length);
  const connected = sampleCurve(f.connected, step, false);
  const arrivals = sampleCurve(f.arrivals, step, true);
  return {
    strategy: run.strategy.name,
    what: run.strategy.what,
    devices: f.devices,
    attempts: f.attempts,
    attemptsPerDevice: round(f.attempts / f.devices),
    peakArrivals: { during: peakOf(f.arrivals, run.sinceMs, run.fromMs), after: peakOf(f.arrivals, run.fromMs, durationMs + 1) },
    fromMs: run.fromMs,
    backMs: f.back,
    connectedAtEnd: f.connectedAtEnd,
    errors: f.errors,
    failedAfter: f.failedAfter,
    wallMs: Math.round(run.wallMs),
    events: run.events,
    series: { stepMs: step * 1000, connected, arrivals },
  };
}

function table(runs: StrategyRun[], file: string, devices: number, durationMs: number, time: string): string {
  const from = runs[0]?.fromMs ?? 0;
  const since = runs[0]?.sinceMs ?? 0;
  const head = ["strategy", "attempts/device", `peak arrivals/s ${formatTime(since)}-${formatTime(from)}`, `after ${formatTime(from)}`, "50% back", "99% back", "100% back", "connected at end", "errors", "wall"];
  const rows = runs.map((r) => {
    const f = r.figures;
    const peak = (fromMs: number, toMs: number) => {
      const p = peakOf(f.arrivals, fromMs, toMs);
      return p === null ? "-" : `${p.perSecond.toLocaleString("en-US")} (${formatTime(p.atMs)})`;
    };
    const back = (ms: number | null) => (ms === null ? "never" : `${(ms / 1000).toFixed(1)} s`);
    return [
      r.strategy.name,
      (f.attempts / f.devices).toFixed(1),
      peak(r.sinceMs, r.fromMs),
      peak(r.fromMs, durationMs + 1),
      back(f.back.p50),
      back(f.back.p99),
      back(f.back.p100),
      f.connectedAtEnd.toLocaleString("en-US"),
      String(f.errors),
      `${(r.wallMs / 1000).toFixed(1)} s`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  const back = from === 0 ? "the start" : `${formatTime(from)}, the scenario's last event`;
  const out = [
    `${path.basename(file)}: ${devices.toLocaleString("en-US")} devices, ${formatTime(durationMs)} of ${time}; "back" counts from ${back}`,
    "",
    line(head),
    ...rows.map(line),
    "",
    ...runs.map((r) => `${r.strategy.name}: ${r.strategy.what}`),
    "",
    ...runs.map((r) => `${r.strategy.name}, attempts that failed after ${formatTime(from)}: ${failures(r.figures.failedAfter)}`),
    "arrivals: attempts that reached the server (their TCP connect began), per second: while the scenario's events disrupt the fleet, and after the last.",
  ];
  return `${out.join("\n")}\n`;
}

function failures(byReason: Record<string, number>): string {
  const all = Object.entries(byReason);
  return all.length === 0 ? "none" : all.map(([why, n]) => `${n.toLocaleString("en-US")} ${why}`).join(", ");
}

/**
 * The busiest second in [fromMs, toMs): while the scenario's events disrupt the
 * fleet, and after the last (the boot's storm is every strategy's alike).
 * Null for an empty span.
 */
function peakOf(perSecond: Uint32Array, fromMs: number, toMs: number): { perSecond: number; atMs: number } | null {
  const first = Math.floor(fromMs / 1000);
  const end = Math.min(perSecond.length, Math.ceil(toMs / 1000));
  if (first >= end) return null;
  let at = first;
  for (let s = first + 1; s < end; s++) if (perSecond[s]! > perSecond[at]!) at = s;
  return { perSecond: perSecond[at]!, atMs: at * 1000 };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
