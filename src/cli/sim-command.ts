import path from "node:path";
import { loadScenario } from "../scenario/load.js";
import { Simulation } from "../scenario/simulation.js";
import { TimelineReportSink, timelineReportHtml } from "../report/timeline-report.js";
import { StreamSink, TeeSink } from "../timeline/sinks.js";
import type { TextStream } from "../timeline/sinks.js";
import { wantsColor } from "./color.js";
import { checkWritable, writeReport } from "./report-file.js";

export interface SimCommandOptions {
  json?: boolean;
  seed?: number;
  libs?: string[];
  vars?: Record<string, string>;
  turnLimit?: number;
  /** Also write a self-contained HTML report (strips per device, the fleet's curves) to this file. */
  html?: string;
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
  const sink = new StreamSink(io.stdout, options.json === true ? "json" : "human", { color, deviceWidth });
  const report = options.html === undefined ? undefined : new TimelineReportSink(scenario.devices.map((d) => d.id), scenario.durationMs);
  const sim = await Simulation.create(scenario, {
    sink: report === undefined ? sink : new TeeSink(sink, report),
    ...(options.vars === undefined ? {} : { vars: options.vars }),
    ...(options.turnLimit === undefined ? {} : { turnLimitMs: options.turnLimit }),
  });
  sink.onReaderGone(() => sim.stop()); // nobody reads the rest: no reason to compute it
  await sim.run();
  if (sink.error !== undefined) {
    io.stderr.write(`impnet sim: could not write the timeline: ${sink.error instanceof Error ? sink.error.message : "stream failed"}\n`);
    return 1;
  }
  if (report !== undefined && options.html !== undefined) writeReport(options.html, timelineReportHtml(report.data(path.basename(file), scenario.seed)), "--html");
  return 0;
}
