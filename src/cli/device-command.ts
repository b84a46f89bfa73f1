import path from "node:path";
import { DeviceRegistry } from "../cloud/device-registry.js";
import { REGISTRY_FILE } from "../cloud/embedded-cloud.js";
import type { CliIo } from "./sim-command.js";

export interface DeviceOptions {
  data: string;
  json?: boolean;
}

export interface DeviceAddOptions extends DeviceOptions {
  service?: boolean;
  rotate?: boolean;
}

function open(options: DeviceOptions, create = true): DeviceRegistry {
  return DeviceRegistry.open(path.join(path.resolve(options.data), REGISTRY_FILE), { create });
}

/** `impnet device add ID`: registers a device (or a service user) and prints its secret, once. An existing id needs --rotate. */
export function deviceAddCommand(id: string, options: DeviceAddOptions, io: CliIo): number {
  const registry = open(options);
  const rotate = { rotate: options.rotate === true };
  const secret = options.service === true ? registry.addService(id, rotate) : registry.addDevice(id, rotate);
  printSecret(io, options, { id, kind: options.service === true ? "service" : "device", secret, registry: registry.file }, "registered");
  return 0;
}

/** `impnet device rotate ID`: a new secret for a device or service user; the old one stops working at its next login. */
export function deviceRotateCommand(id: string, options: DeviceOptions, io: CliIo): number {
  const registry = open(options, false);
  const { kind, secret } = registry.rotate(id);
  printSecret(io, options, { id, kind, secret, registry: registry.file }, "given a new secret");
  return 0;
}

/** `impnet device remove ID`: forgets a device or service user. */
export function deviceRemoveCommand(id: string, options: DeviceOptions, io: CliIo): number {
  const registry = open(options, false);
  const kind = registry.remove(id);
  if (options.json === true) io.stdout.write(`${JSON.stringify({ id, kind, removed: true })}\n`);
  else io.stdout.write(`${kind === "service" ? "service user" : "device"} ${id} removed from ${registry.file}; its secret no longer logs in\n`);
  return 0;
}

/** `impnet device list`: who is registered, and since when; never a secret. */
export function deviceListCommand(options: DeviceOptions, io: CliIo): number {
  const entries = open(options, false).list();
  if (options.json === true) for (const e of entries) io.stdout.write(`${JSON.stringify(e)}\n`);
  else if (entries.length === 0) io.stdout.write("no devices registered (impnet device add ID)\n");
  else {
    const width = Math.max(...entries.map((e) => e.id.length));
    for (const e of entries) io.stdout.write(`${e.id.padEnd(width)}  ${e.kind.padEnd(7)}  added ${e.added}\n`);
  }
  return 0;
}

function printSecret(io: CliIo, options: DeviceOptions, entry: { id: string; kind: "device" | "service"; secret: string; registry: string }, done: string): void {
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify(entry)}\n`);
    return;
  }
  const what = entry.kind === "service" ? "service user" : "device";
  const env = entry.kind === "service" ? "IMPNET_SERVICE_SECRET" : "IMPNET_DEVICE_SECRET";
  io.stdout.write(`${what} ${entry.id} ${done} in ${entry.registry}\nsecret (shown once, keep it; only its keyed hash is stored):\n${entry.secret}\n`);
  if (entry.kind === "device") io.stdout.write(`run it with: ${env}=<secret> impnet run PROGRAM --server URL --id ${entry.id}\n`);
}
