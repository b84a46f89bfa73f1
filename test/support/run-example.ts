import { fileURLToPath } from "node:url";
import { loadScenario } from "../../src/scenario/load.js";
import { Simulation } from "../../src/scenario/simulation.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import type { TimelineEvent, TimelineType } from "../../src/timeline/events.js";

/** Runs examples/<dir>/<file> (scenario.yaml by default) from its files, as `impnet sim` would. */
export async function runExample(dir: string, file = "scenario.yaml") {
  const scenario = await loadScenario(fileURLToPath(new URL(`../../examples/${dir}/${file}`, import.meta.url)));
  const sink = new ArraySink();
  const sim = await Simulation.create(scenario, { sink });
  await sim.run();
  const of = <T extends TimelineType>(type: T) => sink.events.filter((e): e is Extract<TimelineEvent, { type: T }> => e.type === type);
  return { sim, events: sink.events, of };
}
