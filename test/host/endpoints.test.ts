import { describe, expect, it } from "vitest";
import { parsePort, parseProxyUrl, parseServerUrl } from "../../src/network/host/endpoints.js";

const code = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe("server and proxy URLs", () => {
  it("takes mqtt:// and mqtts:// with default ports", () => {
    expect(parseServerUrl("mqtt://broker.lan")).toEqual({ host: "broker.lan", port: 1883, tls: false });
    expect(parseServerUrl("mqtts://10.0.0.1:9000")).toEqual({ host: "10.0.0.1", port: 9000, tls: true });
  });

  it("takes http://user@host:port for a proxy, the user percent-decoded", () => {
    expect(parseProxyUrl("http://im%40p@proxy.lan:3128")).toEqual({ host: "proxy.lan", port: 3128, user: "im@p" });
  });

  it.each([
    ["not a URL", () => parseServerUrl("broker:1883")],
    ["another scheme", () => parseServerUrl("http://broker")],
    ["credentials in the server URL", () => parseServerUrl("mqtt://u:p@broker")],
    ["a path", () => parseServerUrl("mqtt://broker/x")],
    ["an IPv6 server", () => parseServerUrl("mqtt://[::1]:1883")],
    ["an IPv6 proxy", () => parseProxyUrl("http://[::1]:3128")],
    ["a password in the proxy URL", () => parseProxyUrl("http://u:secret@proxy:3128")],
    ["a proxy without a port", () => parseProxyUrl("http://proxy.lan")],
    ["a user that is not valid percent-encoding", () => parseProxyUrl("http://%zz@proxy.lan:3128")],
    ["port 0 to dial", () => parseServerUrl("mqtt://broker:0")],
    ["a port out of range", () => parsePort("70000")],
  ])("refuses %s with a stable code", (_name, fn) => {
    expect(code(fn)).toBe("IMPNET_HOST_CONFIG");
  });

  it("never echoes a password it refuses", () => {
    let message = "";
    try {
      parseProxyUrl("http://u:hunter2@proxy:3128");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toContain("hunter2");
  });
});
