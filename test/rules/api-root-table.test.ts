import { describe, expect, it } from "vitest";
import { RELEASES } from "../../src/releases.js";
import { bench, caught, expectInvalidArgument, expectMissingMethod, returning } from "./api-support.js";

/** What each release adds to the root table (imp-connection.md §1 and §8), written out from the spec. */
const GLOBALS = ["server", "imp", "agent", "nv", "hardware", "math", "time", "date"];
const CONSTANTS_ADDED: Record<number, string[]> = {
  28: [
    "NO_WIFI",
    "NO_IP_ADDRESS",
    "NOT_RESOLVED",
    "NO_SERVER",
    "SERVER_CONNECTED",
    "SUSPEND_ON_ERROR",
    "RETURN_ON_ERROR",
    "WAIT_TIL_SENT",
    "WAIT_FOR_ACK",
    "SEND_ERROR_NOT_CONNECTED",
    "SEND_ERROR_TIMEOUT",
    "SEND_ERROR_DISCONNECTED",
    "CONFIG_WIFI",
    "CONFIG_STATIC_NETWORK",
    "ENVIRONMENT_CARD",
    "ENVIRONMENT_MODULE",
    "ENVIRONMENT_AGENT",
  ],
  30: ["NOT_CONNECTED"],
  34: ["NO_LINK", "NO_PROXY", "NOT_AUTHORISED", "PROXY_TYPE_HTTP", "CONFIG_PROXY"],
  36: [],
  38: ["RETURN_ON_ERROR_NO_DISCONNECT", "SEND_ERROR_WOULDBLOCK"],
  40: ["NO_MODEM", "SIM_ERROR", "NO_REGISTRATION", "REGISTRATION_DENIED", "NO_PPP_CONNECTION", "PPP_NO_CONNECTIVITY"],
  42: [],
};
const SERVER_ADDED: Record<number, string[]> = {
  28: ["connect", "disconnect", "isconnected", "log", "error", "flush", "setsendtimeoutpolicy", "onunexpecteddisconnect", "sleepfor", "restart"],
  42: ["connectwith"],
};
const IMP_ADDED: Record<number, string[]> = {
  28: [
    "wakeup",
    "cancelwakeup",
    "onidle",
    "deepsleepfor",
    "enableblinkup",
    "setwificonfiguration",
    "clearconfiguration",
    "getsoftwareversion",
    // squirrel.md S1: what real imp code calls beyond the connection API
    "sleep",
    "setsendbuffersize",
    "getmacaddress",
    "environment",
    "configparams",
  ],
  34: ["setproxy", "net"],
};
const NET_ADDED: Record<number, string[]> = {
  34: ["info"],
  36: ["configurewps"],
  42: ["setserverinterfaces", "getserverinterfaces"],
};

function upTo(table: Record<number, string[]>, release: number): string[] {
  return Object.entries(table)
    .filter(([r]) => Number(r) <= release)
    .flatMap(([, names]) => names)
    .sort();
}

const ALL_CONSTANTS = upTo(CONSTANTS_ADDED, 42);

describe("R02 R35 each release's root table holds exactly the names it knows", () => {
  it.each(RELEASES.map((r) => [r]))("R02 R35 release %i: globals and constants", async (release) => {
    const { root } = await bench({ duration: "5s", devices: [{ id: "dev", release }] });
    const names: string[] = [];
    for (const name in root) names.push(name); // own and the release's shared constants
    expect(names.sort()).toEqual([...GLOBALS, ...upTo(CONSTANTS_ADDED, release)].sort());
    for (const name of ALL_CONSTANTS.filter((n) => !upTo(CONSTANTS_ADDED, release).includes(n))) expect(root[name], name).toBeUndefined();
  });

  it.each(RELEASES.map((r) => [r]))("R02 R35 release %i: server, imp and imp.net methods", async (release) => {
    const { root } = await bench({ duration: "5s", devices: [{ id: "dev", release }] });
    expect(Object.keys(root.server).sort()).toEqual(upTo(SERVER_ADDED, release));
    expect(Object.keys(root.imp).sort()).toEqual(upTo(IMP_ADDED, release));
    if (release >= 34) expect(Object.keys(root.imp.net!).sort()).toEqual(upTo(NET_ADDED, release));
    else expect(root.imp.net).toBeUndefined();
  });

  it("R35 the default release is the newest listed", async () => {
    const { device, root } = await bench({ duration: "5s" });
    expect(device.release).toBe(42);
    expect(RELEASES[RELEASES.length - 1]).toBe(42);
    expect(typeof root.server.connectwith).toBe("function");
    expect(root.PPP_NO_CONNECTIVITY).toBe(13);
  });
});

describe("R35 what a release lacks: constants read undefined, methods throw TypeError", () => {
  it("R35 server.connectwith on release 40 throws TypeError", async () => {
    const { root } = await bench({ duration: "5s", devices: [{ id: "dev", release: 40 }] });
    returning(root);
    expectMissingMethod(() => root.server.connectwith!({ interface: "wifi" }, () => {}, 30));
  });

  it("R35 imp.setproxy on release 30 throws TypeError", async () => {
    const { root } = await bench({ duration: "5s", devices: [{ id: "dev", release: 30 }] });
    expectMissingMethod(() => root.imp.setproxy!(1, "proxy.lan", 3128));
    expect(root.PROXY_TYPE_HTTP).toBeUndefined();
  });

  it("R35 imp.net on release 30 is absent: imp.net.info() throws TypeError", async () => {
    const { root } = await bench({ duration: "5s", devices: [{ id: "dev", release: 30 }] });
    expectMissingMethod(() => root.imp.net!.info());
  });

  it("R35 imp.net.configurewps on release 34 throws TypeError", async () => {
    const { root } = await bench({ duration: "5s", devices: [{ id: "dev", release: 34 }] });
    expect(typeof root.imp.net!.info).toBe("function");
    expectMissingMethod(() => root.imp.net!.configurewps!());
  });

  it("R35 setserverinterfaces and getserverinterfaces on release 40 throw TypeError", async () => {
    const { root } = await bench({ duration: "5s", devices: [{ id: "dev", release: 40 }] });
    expectMissingMethod(() => root.imp.net!.setserverinterfaces!(["wifi"]));
    expectMissingMethod(() => root.imp.net!.getserverinterfaces!());
  });

  it("R35 RETURN_ON_ERROR_NO_DISCONNECT on release 36 reads undefined, and its value is refused", async () => {
    const { root, device } = await bench({ duration: "5s", devices: [{ id: "dev", release: 36 }] });
    expect(root.RETURN_ON_ERROR_NO_DISCONNECT).toBeUndefined();
    expect(root.SEND_ERROR_WOULDBLOCK).toBeUndefined();
    const before = { ...device.policy };
    expectInvalidArgument(() => root.server.setsendtimeoutpolicy(root.RETURN_ON_ERROR_NO_DISCONNECT as number, root.WAIT_TIL_SENT as number, 10), "errorPolicy");
    expectInvalidArgument(() => root.server.setsendtimeoutpolicy(2, root.WAIT_TIL_SENT as number, 10), "errorPolicy");
    expect(device.policy).toEqual(before);
  });

  it("R35 release 38 accepts RETURN_ON_ERROR_NO_DISCONNECT", async () => {
    const { root, device } = await bench({ duration: "5s", devices: [{ id: "dev", release: 38 }] });
    expect(caught(() => root.server.setsendtimeoutpolicy(root.RETURN_ON_ERROR_NO_DISCONNECT as number, root.WAIT_TIL_SENT as number, 10))).toBeUndefined();
    expect(device.policy.error).toBe(root.RETURN_ON_ERROR_NO_DISCONNECT);
  });

  it("R35 a program on release 38 reads the cellular codes as undefined", async () => {
    const seen: unknown[] = [];
    await bench({ duration: "5s", devices: [{ id: "dev", release: 38 }] }, (root) => {
      seen.push(root.NO_MODEM, root.SIM_ERROR, root.PPP_NO_CONNECTIVITY, root.NO_SERVER);
    });
    expect(seen).toEqual([undefined, undefined, undefined, 4]);
  });
});
