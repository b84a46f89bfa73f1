import type { ChildProcess } from "node:child_process";
import net from "node:net";
import type { Clock } from "../clock/clock.js";

/** How long a child gets after SIGTERM before SIGKILL. */
export const KILL_AFTER_MS = 2000;

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited in time. Resolves once it has exited. */
export async function stopChild(child: ChildProcess, clock: Clock, killAfterMs = KILL_AFTER_MS): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const kill = clock.setTimer(killAfterMs, () => child.kill("SIGKILL"));
  await exited;
  clock.clearTimer(kill);
}

/** Whether something accepts TCP connections on the loopback port now. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
