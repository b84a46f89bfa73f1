import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as C from "../../src/constants.js";
import type { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import { attempt, makeLink } from "../host/harness.js";
import { sleep } from "../host/real-parts.js";
import { startCloud } from "../host/support-cloud.js";

describe("embedded cloud: a device that falls silent is dropped and its last will published", () => {
  let cloud: EmbeddedCloud;
  const seen: string[] = [];
  beforeAll(async () => {
    cloud = await startCloud({
      idleTimeoutMs: 80,
      agentFor: () => ({ device }) => {
        device.onconnect(() => seen.push("online"));
        device.ondisconnect(() => seen.push("offline"));
      },
    });
  });
  afterAll(() => cloud.stop());

  it("closes a connection idle past the limit; the agent sees the device go (its last will)", async () => {
    const secret = cloud.registry.addDevice("idle-dev");
    // The device's own keepalive is far off: only the broker's sweep can notice.
    const parts = makeLink({ id: "idle-dev", secret, server: { host: "127.0.0.1", port: cloud.port, tls: false }, extra: { keepalive: { idleMs: 60_000, graceMs: 45_000 } } });
    expect((await attempt(parts)).ok).toBe(true);
    await parts.recorder.until(() => parts.recorder.losses.length > 0);
    expect(parts.recorder.losses[0]!.reason).toBe(C.NO_SERVER);
    for (let i = 0; i < 200 && !seen.includes("offline"); i++) await sleep(5);
    expect(seen).toEqual(["online", "offline"]);
  });
});
