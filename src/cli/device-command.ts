import path from "node:path";
import { DeviceRegistry } from "../cloud/device-registry.js";
import { REGISTRY_FILE } from "../cloud/embedded-cloud.js";
import type { CliIo } from "./sim-command.js";

export interface DeviceAddOptions {
  data: string;
  service?: boolean;
  json?: boolean;
}

/** `impnet device add ID`: registers a device (or a service user) and prints its secret, once. */
export function deviceAddCommand(id: string, options: DeviceAddOptions, io: CliIo): number {
  const registry = DeviceRegistry.open(path.join(path.resolve(options.data), REGISTRY_FILE));
  const secret = options.service === true ? registry.addService(id) : registry.addDevice(id);
  const what = options.service === true ? "service user" : "device";
  if (options.json === true) io.stdout.write(`${JSON.stringify({ id, kind: options.service === true ? "service" : "device", secret, registry: registry.file })}\n`);
  else
    io.stdout.write(
      `${what} ${id} registered in ${registry.file}\nsecret (shown once, keep it; only its keyed hash is stored):\n${secret}\n` +
        `run it with: IMPNET_DEVICE_SECRET=<secret> impnet run PROGRAM --server URL --id ${id}\n`,
    );
  return 0;
}
