import { HostConfigError } from "./host-errors.js";

/** Where the device's MQTT server is. */
export interface ServerEndpoint {
  host: string;
  port: number;
  tls: boolean;
}

/** An HTTP CONNECT proxy, as `imp.setproxy` stores it. */
export interface ProxyEndpoint {
  host: string;
  port: number;
  user?: string;
  password?: string;
}

/** `mqtt://host[:1883]` or `mqtts://host[:8883]`; nothing else (no path, no credentials in the URL). */
export function parseServerUrl(text: string, setting = "server"): ServerEndpoint {
  const url = parseUrl(text, setting);
  if (url.protocol !== "mqtt:" && url.protocol !== "mqtts:") throw new HostConfigError(setting, `expected mqtt://host:port or mqtts://host:port (got "${url.protocol}")`);
  if (url.username !== "" || url.password !== "") throw new HostConfigError(setting, "credentials do not belong in the URL: use the environment or a file");
  if (url.pathname !== "" && url.pathname !== "/") throw new HostConfigError(setting, "the URL must not have a path");
  const tls = url.protocol === "mqtts:";
  return { host: hostOf(url, setting), port: portOf(url, tls ? 8883 : 1883, setting), tls };
}

/**
 * `http://[user@]host:port`. A password in the string is refused: the command
 * line is readable by every user of the machine.
 */
export function parseProxyUrl(text: string, setting = "proxy"): ProxyEndpoint {
  const url = parseUrl(text, setting);
  if (url.protocol !== "http:") throw new HostConfigError(setting, `expected http://[user@]host:port (got "${url.protocol}")`);
  if (url.password !== "") throw new HostConfigError(setting, "the password must not be on the command line: set IMPNET_PROXY_PASSWORD or use a file");
  if (url.pathname !== "" && url.pathname !== "/") throw new HostConfigError(setting, "the proxy URL must not have a path");
  if (url.port === "") throw new HostConfigError(setting, "the proxy URL needs a port");
  const proxy: ProxyEndpoint = { host: hostOf(url, setting), port: portOf(url, 0, setting) };
  if (url.username !== "") proxy.user = decodeUser(url.username, setting);
  return proxy;
}

/** A TCP port number, 1–65535, from text. */
export function parsePort(text: string, setting = "port"): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(n) || n < 0 || n > 65535) throw new HostConfigError(setting, `expected a port number 0-65535 (got "${text}")`);
  return n;
}

function parseUrl(text: string, setting: string): URL {
  try {
    return new URL(text);
  } catch {
    // The URL parser refuses a port past 65535 as a whole; say which part was wrong.
    const port = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*:(\d+)(?:[/?#]|$)/i.exec(text)?.[1];
    if (port !== undefined && Number(port) > 65535) throw new HostConfigError(setting, `port ${port} is out of range (1-65535)`);
    throw new HostConfigError(setting, "not a valid URL"); // the text is not echoed: it may hold a password
  }
}

function hostOf(url: URL, setting = "server"): string {
  // The stack is IPv4 (addresses from the interface, A records): say so now,
  // rather than let an attempt wait for a deadline it can never beat.
  if (url.hostname.startsWith("[")) throw new HostConfigError(setting, "IPv6 addresses are not supported yet: use an IPv4 address or a host name");
  return url.hostname;
}

function decodeUser(text: string, setting: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HostConfigError(setting, "the user name in the URL is not valid percent-encoding");
  }
}

function portOf(url: URL, fallback: number, setting: string): number {
  if (url.port === "") return fallback;
  const port = parsePort(url.port, setting);
  if (port === 0) throw new HostConfigError(setting, "port 0 cannot be dialled");
  return port;
}
