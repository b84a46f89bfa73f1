import { readFileSync } from "node:fs";
import os from "node:os";

/** Whether the host names this machine's loopback. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host.startsWith("127.") || host === "::1";
}

/**
 * The host interface that reaches the server: loopback for a server on this
 * machine, else the interface of the default route (/proc/net/route): the
 * first interface with an address may be a bridge or a VPN whose source
 * address the route to the server would not answer.
 */
export function defaultInterface(serverHost: string): string {
  if (isLoopbackHost(serverHost)) return "lo";
  const viaRoute = defaultRouteInterface();
  if (viaRoute !== undefined) return viaRoute;
  for (const [name, addresses] of Object.entries(os.networkInterfaces()))
    if (addresses?.some((a) => a.family === "IPv4" && !a.internal) === true) return name;
  return "lo";
}

/** The interface of the IPv4 default route, if the kernel reports one. */
export function defaultRouteInterface(routeTable = "/proc/net/route"): string | undefined {
  let text: string;
  try {
    text = readFileSync(routeTable, "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split("\n").slice(1)) {
    const [iface, destination, , , , , , mask] = line.trim().split(/\s+/);
    if (destination === "00000000" && mask === "00000000" && iface !== undefined) return iface;
  }
  return undefined;
}
