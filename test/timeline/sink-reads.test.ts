import { describe, expect, it } from "vitest";
import type { RootTable } from "../../src/device/api/root.js";
import { Simulation } from "../../src/scenario/simulation.js";
import type { TimelineEvent, TimelineSink } from "../../src/timeline/events.js";
import { ArraySink, CountingSink, TeeSink } from "../../src/timeline/sinks.js";
import { inlineScenario } from "../support/simulate.js";

/** Keeps each line's type only, and says so: the simulator may leave out what such a sink never reads. */
class TypesSink implements TimelineSink {
  readonly reads = "type";
  readonly types: string[] = [];
  write(event: TimelineEvent): void {
    this.types.push(event.type);
  }
}

// Attempts that fail (refused, a WiFi network that goes), time out, and succeed; WPS stores what it found.
const spec = {
  duration: "20m",
  world: { wifi: [{ ssid: "home", key: "k", wps: true }] },
  devices: [{ id: "dev", count: 3 }],
  events: [
    { at: "2m", set: { "world.server.up": false } },
    { at: "5m", set: { "world.wifi": [] } },
    { at: "8m", set: { "world.server.up": true, "world.wifi": [{ ssid: "home", key: "k", wps: true }] } },
  ],
};

function program(root: RootTable): void {
  const { server, imp } = root;
  server.setsendtimeoutpolicy(root.RETURN_ON_ERROR as number, root.WAIT_TIL_SENT as number, 10);
  imp.net?.configurewps?.();
  const connect = (): void => server.connect((reason: number) => void (reason === root.SERVER_CONNECTED || imp.wakeup(20, connect)), 15);
  server.onunexpecteddisconnect(() => connect());
  connect();
}

async function run(sink: TimelineSink): Promise<void> {
  const sim = await Simulation.create(inlineScenario(spec), { sink, programFor: () => program });
  await sim.run();
}

describe("a sink that reads only line types", () => {
  it("gets the same lines, in the same order, as a sink that reads them all", async () => {
    const all = new ArraySink();
    const types = new TypesSink();
    await run(all);
    await run(types);
    expect(types.types).toEqual(all.events.map((e) => e.type));
    expect(all.events.some((e) => e.type === "attempt" && e.layers[0]?.layer === "wps" && e.layers[0].ok)).toBe(true);
    expect(all.events.filter((e) => e.type === "attempt" && e.reason !== 0).length).toBeGreaterThan(3);
  });

  it("CountingSink reads only types; a TeeSink only when all its sinks do", () => {
    expect(new CountingSink().reads).toBe("type");
    expect(new TeeSink(new CountingSink(), new TypesSink()).reads).toBe("type");
    expect(new TeeSink(new CountingSink(), new ArraySink()).reads).toBe("all");
    expect(new TeeSink().reads).toBe("all");
  });
});
