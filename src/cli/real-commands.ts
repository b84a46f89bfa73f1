import type { Command } from "commander";
import { InvalidArgumentError as CommanderArgumentError } from "commander";
import { MIN_TURN_LIMIT_MS } from "../clock/turn-guard.js";
import { parseDuration } from "../scenario/duration.js";
import { ImpnetError } from "../errors.js";
import { parsePort } from "../network/host/endpoints.js";
import { demoCommand } from "./demo-command.js";
import { doctorCommand } from "./doctor-command.js";
import type { DoctorOptions } from "./doctor-command.js";
import { deviceAddCommand, deviceListCommand, deviceRemoveCommand, deviceRotateCommand } from "./device-command.js";
import type { DeviceAddOptions, DeviceOptions } from "./device-command.js";
import type { RealIo } from "./real-io.js";
import { runCommand } from "./run-command.js";
import type { RunOptions } from "./run-command.js";
import { serveCommand } from "./serve-command.js";
import type { ServeOptions } from "./serve-command.js";

const DEFAULT_DATA = ".impnet";

function portArg(value: string): number {
  try {
    return parsePort(value, "--port");
  } catch (e) {
    throw new CommanderArgumentError(e instanceof ImpnetError ? "expected a port number 0-65535" : String(e));
  }
}

function durationArg(value: string): number {
  try {
    return parseDuration(/^\d+$/.test(value) ? Number(value) : value);
  } catch {
    throw new CommanderArgumentError('expected a duration like "500ms", "30s", "2m"');
  }
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--libs` and `--var` (S6), and `--turn-limit`: what every command that runs programs takes. */
export function programOptions(command: Command): Command {
  return command
    .option("--libs <dir>", "a folder #require and github: includes look in (repeatable; before a scenario's libs and IMPNET_LIBS)", collect)
    .option("--var <name=value>", "a Builder variable for Squirrel programs (repeatable)", collectVar)
    .option("--turn-limit <duration>", "stop a program turn that runs longer than this, in wall time, as a runaway (default 10s)", turnLimitArg);
}

/** A watchdog's limit: long beside one timer's work (a GC pause, a slow write), and what the vm module's timer can hold. */
function turnLimitArg(value: string): number {
  const ms = durationArg(value);
  if (ms < MIN_TURN_LIMIT_MS || ms > 2 ** 31 - 1) throw new CommanderArgumentError(`expected a duration from ${MIN_TURN_LIMIT_MS}ms to 24d`);
  return ms;
}

/** Repeatable `--var NAME=VALUE`: Builder variables for Squirrel programs (S6). */
export function collectVar(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf("=");
  if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value.slice(0, eq))) throw new CommanderArgumentError(`expected NAME=VALUE, got "${value}"`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** The real-stack commands: serve, device add, run, doctor, demo. */
export function registerRealCommands(program: Command, io: RealIo, setCode: (code: number) => void): void {
  program
    .command("demo")
    .description("the real-stack demo: the embedded cloud and three devices over loopback (npm start)")
    .option("--for <duration>", "stop after this long (default: until Ctrl-C)", durationArg)
    .option("--json", "one JSON object per line")
    .action(async (options: { json?: boolean; for?: number }) => {
      setCode(await demoCommand(options.for === undefined ? { json: options.json } : { json: options.json, forMs: options.for }, io));
    });

  program
    .command("serve")
    .description("run the embedded cloud: an MQTT broker with device authentication and ACLs, and an agent host")
    .option("--port <n>", "MQTT port (0 picks a free one)", portArg, 1883)
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--data <dir>", "where the device registry and the server log live", DEFAULT_DATA)
    .option("--agent <file>", "agent program to run for every device (.nut is Squirrel)")
    .option("--libs <dir>", "a folder #require looks in for a Squirrel agent (repeatable)", collect)
    .option("--tls-cert <file>", "serve mqtts:// with this certificate (PEM)")
    .option("--tls-key <file>", "the certificate's private key (PEM)")
    .option("--dashboard-port <n>", "the dashboard's port (0 picks a free one)", portArg, 0)
    .option("--dashboard-host <address>", "address the dashboard listens on", "127.0.0.1")
    .option("--no-dashboard", "serve no dashboard")
    .option("--json", "print one JSON line with the MQTT URL, registry path and dashboard URL, then the timeline as JSON lines")
    .action(async (options: ServeOptions) => setCode(await serveCommand(options, io)));

  const device = program.command("device").description("manage the embedded cloud's device registry");
  /** A registry subcommand: every one takes the data folder and --json. */
  const registryCommand = (name: string, description: string) =>
    device.command(name).description(description).option("--data <dir>", "the cloud's data directory", DEFAULT_DATA).option("--json", "one JSON line each");
  registryCommand("add", "register a device and print its secret (once)")
    .argument("<id>", "device id (1-64 of A-Z a-z 0-9 . _ -)")
    .option("--service", "register a service user for agent hosts instead of a device")
    .option("--rotate", "the id exists already: give it a new secret (the old one stops working)")
    .action((id: string, options: DeviceAddOptions) => setCode(deviceAddCommand(id, options, io)));
  registryCommand("rotate", "give a device or service user a new secret, printed once; the old one stops working")
    .argument("<id>", "device id or service user")
    .action((id: string, options: DeviceOptions) => setCode(deviceRotateCommand(id, options, io)));
  registryCommand("remove", "forget a device or service user: its secret no longer logs in")
    .argument("<id>", "device id or service user")
    .action((id: string, options: DeviceOptions) => setCode(deviceRemoveCommand(id, options, io)));
  registryCommand("list", "the devices and service users registered, and when (never a secret)").action((options: DeviceOptions) =>
    setCode(deviceListCommand(options, io)),
  );

  programOptions(
    program
      .command("run")
      .description("run one device program on the host's real network stack, printing its timeline")
      .argument("<program>", "device program (.nut Squirrel; or an ES module, JavaScript or TypeScript)")
      .requiredOption("--server <url>", "the MQTT server: mqtt://host:port or mqtts://host:port")
      .requiredOption("--id <id>", "the device id registered with the server")
      .option("--agent <file>", "run this agent program too (service user from IMPNET_SERVICE_USER/IMPNET_SERVICE_SECRET)"),
  )
    .option("--proxy <url>", "HTTP CONNECT proxy http://[user@]host:port (password from IMPNET_PROXY_PASSWORD or --proxy-password-file)")
    .option("--secret-file <file>", "read the device secret from this file (else IMPNET_DEVICE_SECRET)")
    .option("--proxy-password-file <file>", "read the proxy password from this file")
    .option("--ca <file>", "CA certificate(s) (PEM) to verify an mqtts server")
    .option("--interface <map>", "host interface for a device interface, e.g. eth0=enp3s0 or wl0=wlan0 (repeatable)", collect)
    .option("--release <n>", "impOS release to emulate (default: the newest)")
    .option("--for <duration>", "stop after this long (default: until Ctrl-C)", durationArg)
    .option("--until-connected", "end at the first connection (exit 0); a run that ends without one exits 1, saying why")
    .option("--no-reports", "do not report the device's attempts on its diag topic (for a broker whose ACL would close the connection)")
    .option("--json", "one JSON object per line")
    .action(async (file: string, options: RunOptions & { for?: number }) => {
      const { for: forMs, ...rest } = options;
      setCode(await runCommand(file, forMs === undefined ? rest : { ...rest, forMs }, io));
    });

  program
    .command("doctor")
    .description("walk this host's path to the server layer by layer for real: the reason a device here would get, and what to do")
    .requiredOption("--server <url>", "the MQTT server: mqtt://host:port or mqtts://host:port")
    .option("--proxy <url>", "HTTP CONNECT proxy http://[user@]host:port (password from IMPNET_PROXY_PASSWORD or --proxy-password-file)")
    .option("--proxy-password-file <file>", "read the proxy password from this file")
    .option("--interface <map>", "the host interface to walk, e.g. eth0=enp3s0 or wl0=wlan0 (default: the default route's, as eth0)", collect)
    .option("--ca <file>", "CA certificate(s) (PEM) to verify an mqtts server")
    .option("--id <id>", "check the MQTT session with this device's credentials (secret from IMPNET_DEVICE_SECRET or --secret-file); a device online with this id is taken over for the check")
    .option("--secret-file <file>", "read the device secret from this file")
    .option("--release <n>", "impOS release to emulate (default: the newest)")
    .option("--timeout <duration>", "how long the attempt may take (default 60s, a device's default)", durationArg)
    .option("--json", "print exactly one JSON object")
    .action(async (options: DoctorOptions & { timeout?: number }) => {
      const { timeout, ...rest } = options;
      setCode(await doctorCommand(timeout === undefined ? rest : { ...rest, timeoutMs: timeout }, io));
    });
}
