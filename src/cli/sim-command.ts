import path from "node:path";
import { loadScenario } from "../scenario/load.js";
import { Simulation } from "../scenario/simulation.js";
import { TimelineReportSink, timelineReportHtml } from "../report/timeline-report.js";
import { CountingSink, StreamSink, TeeSink } from "../timeline/sinks.js";
import type { TimelineSink } from "../timeline/events.js";
import type { TextStream } from "../timeline/sinks.js";
import { wantsColor } from "./color.js";
import { ProgressBar } from "./progress.js";
import { checkWritable, writeReport } from "./report-file.js";

export interface SimCommandOptions {
  json?: boolean;
  seed?: number;
  libs?: string[];
  vars?: Record<string, string>;
  turnLimit?: number;
  /** Also write a self-contained HTML report (strips per device, the fleet's curves) to this file. */
  html?: string;
  /** No timeline on stdout (with --html: the report only) and no progress bar. */
  quiet?: boolean;
}

export interface CliIo {
  stdout: TextStream & { hasColors?: () => boolean; isTTY?: boolean };
  /** A terminal (isTTY) gets progress lines. */
  stderr: TextStream & { isTTY?: boolean };
  /** Where NO_COLOR and FORCE_COLOR are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** `impnet sim SCENARIO`: the scenario's timeline, for people or as JSON lines. */
export async function simCommand(file: string, options: SimCommandOptions, io: CliIo): Promise<number> {
  const scenario = await loadScenario(file, options.seed === undefined ? {} : { seed: options.seed });
  if (options.libs !== undefined) scenario.libs = [...options.libs.map((d) => path.resolve(d)), ...scenario.libs];
  // A loop, not Math.max(...ids): a spread of 100,000 arguments overflows the stack.
  let deviceWidth = 8;
  for (const d of scenario.devices) deviceWidth = Math.max(deviceWidth, d.id.length);
  deviceWidth = Math.min(24, deviceWidth);
  const color = options.json !== true && wantsColor(io);
  if (options.html !== undefined) checkWritable(options.html, "--html");
  const stream = new StreamSink(io.stdout, options.json === true ? "json" : "human", { color, deviceWidth });
  const sinks: TimelineSink[] = options.quiet === true ? [] : [stream];
  const report = options.html === undefined ? undefined : new TimelineReportSink(scenario.devices.map((d) => d.id), scenario.durationMs);
  if (report !== undefined) sinks.push(report);
  // A bar beside a timeline scrolling on the same terminal would tear it: only when the timeline goes elsewhere.
  const bar = options.json !== true && options.quiet !== true && io.stderr.isTTY === true && io.stdout.isTTY !== true ? new ProgressBar(io.stderr, path.basename(file), scenario.durationMs, "virtual") : undefined;
  // Nobody to read the lines (--quiet alone): a sink that reads only their types spares building them.
  const sink = sinks.length === 0 ? new CountingSink() : sinks.length === 1 ? sinks[0]! : new TeeSink(...sinks);
  const sim = await Simulation.create(scenario, {
    sink,
    // Devices connected, counted when the bar is drawn: a sink counting every line cost 17 % at 100,000 devices.
    ...(bar === undefined ? {} : { onProgress: (ms: number, events: number) => bar.update(ms, events, sim.connectedDevices()) }),
    ...(options.vars === undefined ? {} : { vars: options.vars }),
    ...(options.turnLimit === undefined ? {} : { turnLimitMs: options.turnLimit }),
  });
  if (options.quiet !== true) stream.onReaderGone(() => sim.stop()); // nobody reads the rest: no reason to compute it
  await sim.run();
  bar?.clear();
  if (stream.error !== undefined) {
    io.stderr.write(`impnet sim: could not write the timeline: ${stream.error instanceof Error ? stream.error.message : "stream failed"}\n`);
    return 1;
  }
  if (report !== undefined && options.html !== undefined) writeReport(options.html, timelineReportHtml(report.data(path.basename(file), scenario.seed)), "--html");
  return 0;
}
