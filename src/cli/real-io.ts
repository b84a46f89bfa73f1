import type { CliIo } from "./sim-command.js";

/** What the long-running real-stack commands need beyond output streams. */
export interface RealIo extends CliIo {
  /** Where secrets come from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Stops a long-running command (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
}

/** Resolves when the command should stop: the io's signal, or SIGINT/SIGTERM. */
export function untilStopped(io: RealIo, extra?: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      io.signal?.removeEventListener("abort", stop);
      resolve();
    };
    if (io.signal?.aborted === true) return resolve();
    io.signal?.addEventListener("abort", stop, { once: true });
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    void extra?.then(stop);
  });
}
