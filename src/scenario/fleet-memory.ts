import v8 from "node:v8";
import { ImpnetError } from "../errors.js";

/**
 * What one simulated device holds through a run, measured (BENCHMARKS.md: the
 * 100,000-device hour keeps 5.5 KB a device alive with a JavaScript program,
 * about 3× that with Squirrel, whose root tables are its own), with room for
 * the garbage between collections: a floor, so that only fleets that cannot
 * fit are refused.
 */
export const BYTES_PER_DEVICE = 8 * 1024;
export const BYTES_PER_SQUIRREL_DEVICE = 20 * 1024;

/** The fleet would not fit in this process's heap: said before it starts, not as a crash 70 s in. */
export class FleetTooLargeError extends ImpnetError {
  constructor(devices: number, needBytes: number, limitBytes: number) {
    const gb = (b: number) => `${(b / 2 ** 30).toFixed(1)} GB`;
    const mb = Math.ceil((needBytes * 1.25) / 2 ** 20);
    super(
      "IMPNET_FLEET_TOO_LARGE",
      `${devices.toLocaleString("en-US")} devices need about ${gb(needBytes)} of heap and this process may use ${gb(limitBytes)}: run with NODE_OPTIONS=--max-old-space-size=${mb} (the machine needs that much memory), or simulate fewer devices`,
    );
  }
}

/** Refuses a fleet (so many devices, so many of them running Squirrel) that cannot fit in the heap this process may use. */
export function checkFleetFits(devices: number, squirrel = 0, limitBytes: number = v8.getHeapStatistics().heap_size_limit): void {
  const need = (devices - squirrel) * BYTES_PER_DEVICE + squirrel * BYTES_PER_SQUIRREL_DEVICE;
  if (need > limitBytes) throw new FleetTooLargeError(devices, need, limitBytes);
}
