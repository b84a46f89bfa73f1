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
  clock.clearTimer(kill);
}

/** Whether something accepts TCP connections on the port now. */
export function accepts(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
