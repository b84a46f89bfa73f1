import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError as CommanderArgumentError } from "commander";
import { ImpnetError } from "../errors.js";
import { CompileError } from "../squirrel/compiler/compile-error.js";
import { PreprocessError } from "../squirrel/preprocess/preprocess-error.js";
import { simCommand } from "./sim-command.js";
import { testCommand } from "./test-command.js";
import type { TestCommandOptions } from "./test-command.js";
import type { CliIo } from "./sim-command.js";
import type { RealIo } from "./real-io.js";
import { collect, registerRealCommands, programOptions } from "./real-commands.js";
import { fleetCommand } from "./fleet-command.js";
import type { FleetCommandOptions } from "./fleet-command.js";
import { BUILT_IN_STRATEGIES } from "../fleet/strategies.js";

/** Exit codes: 0 done, 1 the run failed, 2 bad input (arguments, scenario, program). */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

function positiveArg(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n === 0) throw new CommanderArgumentError("expected a positive integer");
  return n;
}

function seedArg(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new CommanderArgumentError("expected a non-negative integer");
  return n;
}

/** The version in package.json, next to src/ and dist/ alike. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

/** Runs the CLI; returns the exit code rather than exiting, so tests can call it. */
export async function main(argv: string[], io: CliIo & RealIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const program = new Command("impnet")
    .description("The Electric Imp server connection, open: device API, simulator, network stack.")
    .version(packageVersion(), "-V, --version", "print impnet's version")
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) });
  let code = 0;
  const sim = program
    .command("sim")
    .description("run a scenario on the simulator and print its timeline")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option("--json", "one JSON object per line (same scenario and seed, same bytes)")
    .option("--seed <n>", "override the scenario's seed", seedArg)
    .option("--html <file>", "also write a self-contained HTML report: a strip per device over time, its logs, the fleet's curves (opens offline)")
    .option("--quiet", "print no timeline (with --html: write the report only) and no progress bar");
  programOptions(sim).action(async (file: string, options: { json?: boolean; seed?: number; libs?: string[]; var?: Record<string, string>; turnLimit?: number; html?: string; quiet?: boolean }) => {
    const { var: vars, ...rest } = options; // commander names --var `var`
    code = await simCommand(file, vars === undefined ? rest : { ...rest, vars }, io);
  });
  const fleet = program
    .command("fleet")
    .description("run a scenario's fleet once per retry strategy: what each does to the server, and how fast the fleet comes back")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option("--devices <n>", "this many copies of the scenario's one device entry", positiveArg)
    .option("--strategy <name>", `a strategy (${Object.keys(BUILT_IN_STRATEGIES).join(", ")}) or a device program file (repeatable; default: all of impnet's)`, collect)
    .option("--seed <n>", "override the scenario's seed", seedArg)
    .option("--real", "on the host stack, in real time: real sockets against impnet serve in its own process, stopped and started for world.server.up events")
    .option("--broker <url>", "with --real (implied): this MQTT broker (mqtt://host:port) instead of impnet serve")
    .option("--broker-command <cmd>", "the shell command that runs --broker's broker: impnet starts it, and stops and starts it for world.server.up events")
    .option("--secrets <file>", "the devices' secrets for --broker, as id:secret lines (mosquitto_passwd -U's input); without it they connect with no credentials")
    .option("--json", "one JSON object per strategy, its curves included")
    .option("--html <file>", "also write a self-contained HTML report: the figures, the curves per strategy (opens offline)")
    .option("--quiet", "no progress bar on the terminal");
  programOptions(fleet).action(async (file: string, options: FleetCommandOptions & { var?: Record<string, string> }) => {
    const { var: vars, ...rest } = options;
    code = await fleetCommand(file, vars === undefined ? rest : { ...rest, vars }, io);
  });
  const test = program
    .command("test")
    .description("run imp unit tests (impUnit's ImpTestCase files) on the simulator")
    .argument("[files...]", "test files or folders (default: .impt.test's testFiles)")
    .option("--config <file>", "the test configuration (default: ./.impt.test)")
    .option("--tests <FILE:Case::method>", "run only these (each part optional)")
    .option("--scenario <file>", "run the sessions in this scenario's world and events")
    .option("--seed <n>", "the seed of the simulated world", seedArg)
    .option("--json", "one JSON object per line")
    .option("--timeline <file>", "write the device's timeline (JSON lines) to this file")
    .option("--html <file>", "also write the results as a self-contained HTML page (opens offline)")
    .option("--server <url>", "run on the real network against this MQTT server (with --id; secrets as for impnet run)")
    .option("--id <id>", "the device id registered with --server's cloud")
    .option("--no-reports", "with --server: do not report the device's attempts on its diag topic (for a broker whose ACL would close the connection)")
    .option("--quiet", "no progress bar on the terminal (the results are printed all the same)");
  programOptions(test).action(async (files: string[], options: TestCommandOptions & { var?: Record<string, string> }) => {
    const { var: vars, ...rest } = options;
    code = await testCommand(files, vars === undefined ? rest : { ...rest, vars }, io);
  });
  registerRealCommands(program, io, (c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE;
    if (e instanceof CompileError || e instanceof PreprocessError) {
      io.stderr.write(`${e.message}\n`); // FILE:LINE:COLUMN: message, as compilers print (S7)
      return EXIT_USAGE;
    }
    if (e instanceof ImpnetError) {
      io.stderr.write(`impnet: ${e.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`impnet: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_FAILURE;
  }
}
