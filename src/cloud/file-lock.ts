import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import type { Clock } from "../clock/clock.js";
import { RealClock } from "../clock/real-clock.js";

/** How long to wait for another process's lock before giving up. */
const WAIT_MS = 10_000;
/** A lock file whose holder cannot be read is taken over after this long (a holder that died mid-write). */
const UNREADABLE_STALE_MS = 30_000;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

export class LockTimeoutError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: number | null,
  ) {
    super(`${lockFile} is held${holder === null ? "" : ` by process ${holder}`} and was not released within ${WAIT_MS / 1000} s`);
  }
}

/**
 * Runs `fn` holding an exclusive lock on `file` shared by every process on
 * this machine: `file.lock`, created with O_EXCL and holding the owner's pid.
 * A lock whose owner has died is taken over. Synchronous, like the registry
 * it guards; the wait sleeps the thread in short steps.
 */
export function withFileLock<T>(file: string, fn: () => T, clock: Clock = new RealClock()): T {
  const lock = `${file}.lock`;
  const deadline = clock.now() + WAIT_MS;
  let fd: number;
  for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
    try {
      fd = openSync(lock, "wx", 0o600);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const holder = holderOf(lock, clock);
    if (holder === "stale") {
      removeQuietly(lock);
      continue;
    }
    if (clock.now() > deadline) throw new LockTimeoutError(lock, holder);
    Atomics.wait(PAUSE, 0, 0, pause);
  }
  try {
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return fn();
  } finally {
    removeQuietly(lock);
  }
}

/** The pid holding the lock, "stale" when that process is gone, null when it cannot be told yet. */
function holderOf(lock: string, clock: Clock): number | "stale" | null {
  let text: string;
  let age: number;
  try {
    age = clock.now() - statSync(lock).mtimeMs;
    text = readFileSync(lock, "utf8");
  } catch {
    return null; // released meanwhile: the next try will tell
  }
  const pid = Number(text);
  if (!Number.isInteger(pid) || pid <= 0) return age > UNREADABLE_STALE_MS ? "stale" : null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH" ? "stale" : pid;
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
