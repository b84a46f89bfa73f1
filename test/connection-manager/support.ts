import type { RootTable } from "../../src/device/api/root.js";

/** What a test program saw, each entry stamped with the device's virtual time (ms). */
export class Recorder {
  readonly entries: [string, number][] = [];
  constructor(private readonly root: () => RootTable) {}

  /** Records `label` at the current virtual time. */
  mark(label: string): void {
    this.entries.push([label, this.root().hardware.millis()]);
  }

  labels(): string[] {
    return this.entries.map(([l]) => l);
  }

  times(label: string): number[] {
    return this.entries.filter(([l]) => l === label).map(([, t]) => t);
  }

  count(label: string): number {
    return this.times(label).length;
  }
}

/** A recorder bound to the device its program is given. */
export function recorder(): { rec: Recorder; bind: (root: RootTable) => void } {
  let bound: RootTable | undefined;
  const rec = new Recorder(() => {
    if (bound === undefined) throw new Error("recorder used before the program started");
    return bound;
  });
  return { rec, bind: (root) => (bound = root) };
}

/** A healthy WiFi attempt on the default timings: join 2 s, DHCP 1 s, DNS 50 ms, TCP 30 ms, TLS 200 ms, session 100 ms. */
export const ATTEMPT_MS = 3380;
