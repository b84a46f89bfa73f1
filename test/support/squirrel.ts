import { selfBounded } from "../../src/clock/turn-guard.js";
import type { AgentEntry } from "../../src/cloud/agent-runtime.js";
import { squirrelFromText } from "../../src/programs/squirrel/load-squirrel.js";
import { squirrelAgentProgram, squirrelDeviceProgram } from "../../src/programs/squirrel/squirrel-program.js";
import { simulate } from "./simulate.js";
import type { Program } from "./simulate.js";

/** A Squirrel device program from source (compiled once), for `simulate`. */
export function nut(code: string, file = "device.nut"): Program {
  const entry = squirrelDeviceProgram(squirrelFromText(code, file));
  return selfBounded((root: Parameters<Program>[0], host: Parameters<Program>[1]) => entry(root, host!)); // still the VM's turns: bounded
}

/** A Squirrel agent program from source. */
export function agentNut(code: string): AgentEntry {
  return squirrelAgentProgram(squirrelFromText(code, "agent.nut"));
}

/** Runs a Squirrel device program alone for `duration`: its server.log lines and its error lines. */
export async function runNut(code: string, duration = "60s"): Promise<{ logs: string[]; errors: string[] }> {
  const r = await simulate({ duration }, nut(code, "test.nut"));
  return { logs: r.of("log").map((l) => l.text), errors: r.of("error").map((l) => l.text) };
}
