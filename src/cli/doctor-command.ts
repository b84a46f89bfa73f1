import { DEFAULT_CONNECT_TIMEOUT_MS } from "../connection/timing.js";
import * as C from "../constants.js";
import type { InterfaceType } from "../constants.js";
import type { AttemptOutcome } from "../network/port.js";
import { diagnose } from "../network/host/diagnose.js";
import { CliInputError } from "./cli-errors.js";
import { hintFor } from "./doctor-hints.js";
import type { RealIo } from "./real-io.js";
import { realTarget, warner } from "./run-command.js";
import type { RealTargetOptions } from "./run-command.js";

export interface DoctorOptions extends RealTargetOptions {
  /** How long the attempt may take, ms (a device's default connect timeout, R06). */
  timeoutMs?: number;
  json?: boolean;
}

export interface DoctorReport {
  reason: number;
  reasonName: string;
  /** The failing layer; absent when the path works. */
  layer?: string;
  detail?: string;
  layers: { layer: string; ok: boolean; ms: number }[];
  hint: string;
}

/**
 * `impnet doctor`: one real attempt from this host to the server, walked
 * layer by layer as a device here would walk it (R10), reported with the
 * reason code that device would get and what to do about the failing layer.
 * Exit 0 when the path works, 1 when it fails, 2 on bad input.
 */
export async function doctorCommand(options: DoctorOptions, io: RealIo): Promise<number> {
  if ((options.interface?.length ?? 0) > 1) throw new CliInputError("--interface: doctor walks one interface: give one (eth0=IF, wl0=IF or cell0=IF)");
  const target = realTarget(options, io.env ?? process.env, "(doctor)", warner(io));
  const iface = target.model.interfaces[0]!;
  const { outcome, planned } = await diagnose(target.model, target.linkOptions, iface, options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  const report = reportOf(outcome, iface, options.id === undefined);
  if (options.json === true) io.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    const ifName = target.linkOptions.interfaces[iface] ?? "";
    io.stdout.write(`impnet doctor: ${options.server} over ${C.INTERFACE_IDS[iface]}=${ifName}${options.proxy === undefined ? "" : ` through ${options.proxy}`}\n`);
    const width = Math.max(...planned.map((l) => l.length));
    for (const layer of planned) {
      const record = report.layers.find((l) => l.layer === layer);
      const failing = layer === report.layer;
      const state = failing ? "FAILED" : record === undefined ? "-" : "ok";
      const ms = record === undefined ? "" : `${record.ms} ms`;
      const cause = failing || (layer === "session" && report.layer === undefined) ? (report.detail ?? "") : record === undefined ? "not reached" : "";
      io.stdout.write(`  ${layer.padEnd(width)}  ${state.padEnd(6)}  ${ms.padStart(8)}  ${cause}`.trimEnd() + "\n");
    }
    io.stdout.write(`a device here gets ${report.reasonName} (${report.reason})${report.layer === undefined ? "" : ` at the ${report.layer} layer`}\n`);
    io.stdout.write(`hint: ${report.hint}\n`);
  }
  return report.reason === C.SERVER_CONNECTED ? 0 : 1;
}

/**
 * The outcome as doctor reports it. Without credentials, a session the server
 * refuses (any CONNACK) still proves the path: the server was reached.
 */
function reportOf(outcome: AttemptOutcome, iface: InterfaceType, anonymous: boolean): DoctorReport {
  const layers = outcome.layers.map(({ layer, ok, ms }) => ({ layer, ok, ms }));
  // Any CONNACK is the server answering; without credentials a refusal is expected.
  const refusedAnonymous = anonymous && outcome.layer === "session" && /^CONNACK \d/.test(outcome.detail ?? "");
  if (outcome.ok || refusedAnonymous) {
    const connected = { reason: C.SERVER_CONNECTED, reasonName: C.reasonName(C.SERVER_CONNECTED) };
    if (!refusedAnonymous) return { ...connected, layers, hint: hintFor(undefined, "") };
    return {
      ...connected,
      detail: outcome.detail!,
      layers: layers.map((l) => (l.layer === "session" ? { ...l, ok: true } : l)),
      hint: "the server was reached and answered the MQTT CONNECT; credentials were not checked: give --id (and IMPNET_DEVICE_SECRET) to check them",
    };
  }
  return {
    reason: outcome.reason,
    reasonName: C.reasonName(outcome.reason, iface),
    ...(outcome.layer === undefined ? {} : { layer: outcome.layer }),
    ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
    layers,
    hint: hintFor(outcome.layer, outcome.detail ?? ""),
  };
}
