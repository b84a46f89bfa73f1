import { ImpnetError } from "../../errors.js";

/** A host-stack setting is unusable: bad server URL, proxy string, interface map or CA file. */
export class HostConfigError extends ImpnetError {
  readonly setting: string;
  constructor(setting: string, message: string) {
    super("IMPNET_HOST_CONFIG", `${setting}: ${message}`);
    this.setting = setting;
  }
}
