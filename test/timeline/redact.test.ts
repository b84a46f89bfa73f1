import { describe, expect, it } from "vitest";
import { simulate } from "../support/simulate.js";

describe("secrets on the timeline", () => {
  it("R29 a scenario event's proxy password and WiFi keys never reach the timeline", async () => {
    const run = await simulate({
      duration: "1m",
      events: [
        {
          at: "10s",
          set: {
            "world.proxies": [{ host: "proxy.lan", port: 3128, user: "imp", password: "hunter2" }],
            "world.wifi.0.key": "sesame",
            "devices.dev.proxy": { host: "proxy.lan", port: 3128, user: "imp", password: "hunter2" },
          },
        },
      ],
    });
    const text = JSON.stringify(run.events);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("sesame");
    expect(run.of("world")[0]!.set).toMatchObject({ "world.proxies": [{ host: "proxy.lan", user: "imp" }] });
  });
});

describe("secrets in validation errors", () => {
  it("R29 a scenario's bad WiFi key or proxy password is named by path, never shown", async () => {
    const { parseScenario } = await import("../../src/scenario/load.js");
    const { fileURLToPath } = await import("node:url");
    const dir = fileURLToPath(new URL("../scenario/fixtures/", import.meta.url));
    const raw = {
      duration: "1m",
      world: { proxies: [{ host: "p.lan", password: 13371337 }] },
      devices: [{ id: "d", program: "device.mjs", wifi: { ssid: "home", key: 87654321 } }],
    };
    let issues: readonly string[] = [];
    try {
      parseScenario(raw, "inline", dir);
    } catch (e) {
      issues = (e as { issues: readonly string[] }).issues;
    }
    expect(issues.some((i) => i.startsWith("devices[0].wifi.key:"))).toBe(true);
    expect(issues.some((i) => i.startsWith("world.proxies[0].password:"))).toBe(true);
    expect(issues.join("\n")).not.toMatch(/87654321|13371337/);
  });
});
