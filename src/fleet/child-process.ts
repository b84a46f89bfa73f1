import type { ChildProcess } from "node:child_process";
import net from "node:net";
import type { Clock } from "../clock/clock.js";

/** How long a child gets after SIGTERM before SIGKILL. */
export const KILL_AFTER_MS = 2000;

/**
 * Stops a child process: SIGTERM, then SIGKILL if it has not exited in time.
 * Resolves once it has exited. `group`: the child leads a process group of its
 * own (spawned `detached`) and the signals go to the whole group, so a shell's
 * children stop with it.
 */
export async function stopChild(child: ChildProcess, clock: Clock, killAfterMs = KILL_AFTER_MS, group = false): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const signal = (name: NodeJS.Signals): void => {
    try {
      if (group) process.kill(-pid, name);
      else child.kill(name);
    } catch {
      // gone between the check and the signal: nothing left to stop
    }
  };
  signal("SIGTERM");
  const kill = clock.setTimer(killAfterMs, () => signal("SIGKILL"));
  await exited;
  // The shell may be gone before what it started (dash forks a simple command rather than exec it).
  // Bounded: an unreaped zombie (no init to reap it in a container) still answers signal 0.
  for (let waited = 0; group && waited < 2 * killAfterMs && groupAlive(pid); waited += GROUP_POLL_MS) await new Promise<void>((resolve) => clock.setTimer(GROUP_POLL_MS, resolve));
  clock.clearTimer(kill);
}

const GROUP_POLL_MS = 20;

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false; // ESRCH: nobody left in the group
  }
}

/** Whether something accepts TCP connections on the port now; a host that does not answer within `timeoutMs` does not. */
export function accepts(port: number, host = "127.0.0.1", timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.setTimeout(timeoutMs, () => {
      s.destroy();
      resolve(false);
    });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
