// Unknown keys and wrong types are reported by name: both throw, with a stable
// code and the key in `setting`, before anything is changed on the device.
import { describe, expect, it } from "vitest";
import { ConnectionManager, ImpnetError, InvalidSettingError, RETURN_ON_ERROR, SUSPEND_ON_ERROR, UnknownSettingError, WAIT_FOR_ACK, WAIT_TIL_SENT } from "impnet";
import type { ConnectionManagerSettings } from "impnet";
import { simulate } from "../support/simulate.js";

/** Constructs a manager on a simulated device with `settings`; what it threw, or null. */
async function construct(settings: unknown): Promise<{ thrown: unknown; run: Awaited<ReturnType<typeof simulate>> }> {
  let thrown: unknown = null;
  const run = await simulate({ duration: "20s" }, (root) => {
    try {
      new ConnectionManager(root, settings as ConnectionManagerSettings);
    } catch (e) {
      thrown = e;
    }
  });
  return { thrown, run };
}

describe("ConnectionManager settings", () => {
  it("the original example's misspelt startupBehavior throws IMPNET_CM_UNKNOWN_SETTING naming the key and suggesting startBehavior", async () => {
    const { thrown } = await construct({ startupBehavior: 1, stayConnected: true });
    expect(thrown).toBeInstanceOf(UnknownSettingError);
    expect(thrown).toBeInstanceOf(ImpnetError);
    expect(thrown).toMatchObject({ code: "IMPNET_CM_UNKNOWN_SETTING", setting: "startupBehavior" });
    expect((thrown as Error).message).toContain('did you mean "startBehavior"?');
  });

  it("an unknown key far from any known one lists the known settings", async () => {
    const { thrown } = await construct({ colour: "red" });
    expect(thrown).toMatchObject({ code: "IMPNET_CM_UNKNOWN_SETTING", setting: "colour" });
    expect((thrown as Error).message).toContain("known settings: startBehavior, stayConnected");
  });

  it("an unknown key inside retry is named with its path", async () => {
    const { thrown } = await construct({ retry: { minDelay: 1, maxDelay: 5, jiter: "full" } });
    expect(thrown).toMatchObject({ code: "IMPNET_CM_UNKNOWN_SETTING", setting: "retry.jiter" });
    expect((thrown as Error).message).toContain('did you mean "retry.jitter"?');
  });

  const mistyped: [string, Record<string, unknown>, string][] = [
    ["stayConnected as a string", { stayConnected: "yes" }, "stayConnected"],
    ["retryOnTimeout as a number", { retryOnTimeout: 1 }, "retryOnTimeout"],
    ["startBehavior out of range", { startBehavior: 7 }, "startBehavior"],
    ["blinkupBehavior as a string", { blinkupBehavior: "always" }, "blinkupBehavior"],
    ["checkTimeout zero", { checkTimeout: 0 }, "checkTimeout"],
    ["connectTimeout negative", { connectTimeout: -5 }, "connectTimeout"],
    ["connectTimeout NaN", { connectTimeout: NaN }, "connectTimeout"],
    ["ackTimeout as a string", { ackTimeout: "1" }, "ackTimeout"],
    ["errorPolicy as a string", { errorPolicy: "RETURN_ON_ERROR" }, "errorPolicy"],
    ["retry as a number", { retry: 5 }, "retry"],
    ["retry without minDelay", { retry: { maxDelay: 5 } }, "retry.minDelay"],
    ["retry.maxDelay under minDelay", { retry: { minDelay: 10, maxDelay: 5 } }, "retry.maxDelay"],
    ["retry.jitter unknown", { retry: { minDelay: 1, maxDelay: 5, jitter: "half" } }, "retry.jitter"],
  ];
  for (const [what, settings, key] of mistyped) {
    it(`wrong type or value throws IMPNET_CM_INVALID_SETTING naming the key: ${what}`, async () => {
      const { thrown } = await construct(settings);
      expect(thrown).toBeInstanceOf(InvalidSettingError);
      expect(thrown).toMatchObject({ code: "IMPNET_CM_INVALID_SETTING", setting: key });
    });
  }

  it("settings that are not an object throw IMPNET_CM_INVALID_SETTING", async () => {
    for (const bad of [null, 5, "x", []]) {
      const { thrown } = await construct(bad);
      expect(thrown).toMatchObject({ code: "IMPNET_CM_INVALID_SETTING", setting: "settings" });
    }
  });

  it("a bad setting changes nothing on the device: the send-timeout policy stays at its default", async () => {
    const { run } = await construct({ errorPolicy: RETURN_ON_ERROR, stayConnected: "yes" });
    expect(run.sim.devices[0]!.policy).toEqual({ error: SUSPEND_ON_ERROR, wait: WAIT_TIL_SENT, timeoutS: 30 }); // R03's default
  });

  it("uncaught in a program, an unknown setting is an error line naming the key", async () => {
    const run = await simulate({ duration: "5s" }, (root) => {
      new ConnectionManager(root, { startupBehavior: 1 } as ConnectionManagerSettings);
    });
    expect(run.of("error").map((e) => e.text)).toEqual([expect.stringContaining('unknown setting "startupBehavior"')]);
  });

  it("the constructor applies errorPolicy, waitPolicy and ackTimeout with setsendtimeoutpolicy; explicit undefined keeps a default", async () => {
    const { thrown, run } = await construct({ waitPolicy: WAIT_FOR_ACK, ackTimeout: 4, stayConnected: undefined });
    expect(thrown).toBeNull();
    expect(run.sim.devices[0]!.policy).toEqual({ error: RETURN_ON_ERROR, wait: WAIT_FOR_ACK, timeoutS: 4 }); // errorPolicy's default is RETURN_ON_ERROR
  });
});
