import { ImpnetError } from "../errors.js";

/** The device registry file is missing, unreadable or malformed, or a device id is unusable. */
export class RegistryError extends ImpnetError {
  constructor(file: string, message: string) {
    super("IMPNET_REGISTRY", `${file}: ${message}`);
  }
}

/** The cloud could not start: port taken, certificate missing, broker unreachable. */
export class CloudStartError extends ImpnetError {
  constructor(message: string, options?: ErrorOptions) {
    super("IMPNET_CLOUD_START", message, options);
  }
}
