import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultRouteInterface } from "../src/network/host/default-interface.js";

describe("impnet run: the default interface", () => {
  const table = (rows: string) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "impnet-route-")), "route");
    writeFileSync(file, `Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n${rows}`);
    return file;
  };

  it("is the interface of the default route, not the first with an address", () => {
    const file = table("docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\nwlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n");
    expect(defaultRouteInterface(file)).toBe("wlan0");
  });

  it("is undefined without a default route or a readable table", () => {
    expect(defaultRouteInterface(table("eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"))).toBeUndefined();
    expect(defaultRouteInterface("/nonexistent/route")).toBeUndefined();
  });
});
