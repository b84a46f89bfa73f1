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
