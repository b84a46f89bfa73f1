import { Resolver } from "node:dns";
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { RealClock } from "../../clock/real-clock.js";

export interface DnsSettings {
  /** Name servers (`ip` or `ip:port`); the system's when absent. */
  servers?: string[];
  /** The hosts file consulted before DNS (default /etc/hosts). */
  hostsFile?: string;
}

export type ResolveResult =
  | { ok: true; address: string; source: "literal" | "hosts" | "dns" }
  /** `answered`: the name server said no (NXDOMAIN, no A record); otherwise nothing answered. */
  | { ok: false; answered: boolean; detail: string };

/**
 * Resolves a name to one IPv4 address: an address literal as is, then the hosts
 * file, then DNS through c-ares (node:dns Resolver) rather than the system's
 * getaddrinfo, which blocks a libuv thread and cannot be cancelled. Nothing is
 * kept between attempts (R10): the hosts file is read once a turn, for the
 * attempts that start in it, as the interfaces are. A literal or a hosts-file
 * answer comes back at once, not as a promise: an attempt does not wait a
 * microtask for it.
 */
export function resolveName(host: string, settings: DnsSettings, timeoutMs: number, signal: AbortSignal): ResolveResult | Promise<ResolveResult> {
  if (isIP(host) === 4) return { ok: true, address: host, source: "literal" };
  const fromHosts = lookupHostsFile(settings.hostsFile ?? "/etc/hosts", host);
  if (fromHosts !== undefined) return { ok: true, address: fromHosts, source: "hosts" };
  // One try, bounded by the attempt's time left: the deadline, not c-ares, decides (R10).
  const resolver = new Resolver({ timeout: Math.max(1, Math.ceil(timeoutMs)), tries: 1 });
  if (settings.servers !== undefined) resolver.setServers(settings.servers);
  return new Promise((resolve) => {
    const onAbort = () => resolver.cancel();
    signal.addEventListener("abort", onAbort, { once: true });
    resolver.resolve4(host, (err, addresses) => {
      signal.removeEventListener("abort", onAbort);
      const first = addresses?.[0];
      if (err === null && first !== undefined) return resolve({ ok: true, address: first, source: "dns" });
      resolve(failure(host, err));
    });
  });
}

function failure(host: string, err: NodeJS.ErrnoException | null): ResolveResult {
  switch (err?.code) {
    case "ENOTFOUND":
      return { ok: false, answered: true, detail: `${host}: NXDOMAIN` };
    case "ENODATA":
    case undefined:
      return { ok: false, answered: true, detail: `${host}: no IPv4 address (NODATA)` };
    case "ETIMEOUT":
    case "ECONNREFUSED": // no name server listening: nothing will answer
    case "ECANCELLED":
      return { ok: false, answered: false, detail: `${host}: no answer from DNS (${err?.code})` };
    default:
      // The name server answered, with an error (SERVFAIL, REFUSED) or the name is
      // not one it can ask (EBADNAME): waiting will not change it.
      return { ok: false, answered: true, detail: `${host}: DNS query failed (${err?.code ?? "error"})` };
  }
}

const wall = new RealClock();
/** This turn's reads of hosts files, forgotten on the next turn. */
const hostsFiles = new Map<string, string>();

/** The hosts file's text ("" when it cannot be read), as read in this turn. */
function hostsText(file: string): string {
  let text = hostsFiles.get(file);
  if (text !== undefined) return text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    text = ""; // no hosts file: DNS alone
  }
  if (hostsFiles.size === 0) wall.setTimer(0, () => hostsFiles.clear());
  hostsFiles.set(file, text);
  return text;
}

/** The first IPv4 address the hosts file gives the name. */
export function lookupHostsFile(file: string, host: string): string | undefined {
  const text = hostsText(file);
  const want = host.toLowerCase();
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") continue;
    const [address, ...names] = line.split(/\s+/);
    if (address === undefined || isIP(address) !== 4) continue;
    if (names.some((n) => n.toLowerCase() === want)) return address;
  }
  return undefined;
}
