// The original's known defects (connection-manager.md, "fixed here"): each
// test sets up the situation that triggered the defect and shows it cannot happen.
import { describe, expect, it } from "vitest";
import { ConnectionManager } from "impnet";
import type { NetApi } from "impnet";
import { at, simulate } from "../support/simulate.js";
import { ATTEMPT_MS, recorder } from "./support.js";

describe("fix: one attempt ends in exactly one flow", () => {
  it("the attempt's own timeout and the watchdog's timeout fall on the same millisecond: one onTimeout, not two", async () => {
    const { rec, bind } = recorder();
    // No access point answers: the WiFi layer waits for the attempt's deadline (R10).
    const run = await simulate({ duration: "40s", world: { wifi: [] }, devices: [{ id: "dev", wifi: { ssid: "home", key: "secret" } }] }, (root) => {
      bind(root);
      // The program starts at 10 s, offline (R25); checks at 15 s, 20 s, …
      const cm = new ConnectionManager(root, { connectTimeout: 10, checkTimeout: 5, retryOnTimeout: false });
      cm.onTimeout(() => rec.mark("onTimeout"));
      cm.onConnect(() => rec.mark("onConnect"));
      rec.mark(`connect() → ${cm.connect()}`);
    });
    expect(rec.entries).toEqual([
      ["connect() → true", 10_000],
      ["onTimeout", 20_000],
    ]);
    // Both outcomes really happened at 20 s: the device failed the attempt and called back…
    const attempts = run.of("attempt").filter((a) => a.t > 10_000);
    expect(attempts.map((a) => [a.t, a.reasonName, a.ms])).toEqual([[20_000, "NO_WIFI", 10_000]]);
    expect(run.of("callback").map((c) => [c.t, c.api, c.reasonName])).toEqual([[20_000, "connect", "NO_WIFI"]]);
    // …and the watchdog, due at the same instant, found the attempt 10 s old. Only one of them ran a flow.
  });

  it("an attempt that outlives connectTimeout (WPS ignores the timeout, R30) is cancelled by the watchdog: a timeout flow and never a connected flow for it", async () => {
    const { rec, bind } = recorder();
    const run = await simulate({ duration: "2m", world: { wifi: [{ ssid: "home", key: "secret", wps: true }] } }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root, { connectTimeout: 10, checkTimeout: 5, retryOnTimeout: false });
      cm.onTimeout(() => rec.mark(`onTimeout ${cm.isConnected()}`));
      cm.onConnect(() => rec.mark("onConnect"));
      cm.disconnect(false, -1);
      (root.imp.net as NetApi).configurewps!();
      rec.mark(`connect() → ${cm.connect()}`);
    });
    const start = ATTEMPT_MS;
    // Watchdog checks at start + 5 s, + 10 s: the second finds the attempt connectTimeout old.
    expect(rec.entries).toEqual([
      ["connect() → true", start],
      ["onTimeout false", start + 10_000],
    ]);
    const wps = run.of("attempt").filter((a) => a.t > start);
    expect(wps.map((a) => [a.t, a.ms, a.detail])).toEqual([[start + 10_000, 10_000, expect.stringContaining("cancelled by server.disconnect()")]]);
    expect(run.of("connected").map((c) => c.t)).toEqual([start]); // the boot's only: the WPS attempt never completed
    expect(run.of("callback")).toEqual([]); // R26: the cancelled attempt's callback never ran
  });

  it("after a watchdog timeout with retryOnTimeout, the retry is a new attempt with its own single flow: onTimeout then onConnect", async () => {
    const { rec, bind } = recorder();
    const run = await simulate({ duration: "2m", world: { wifi: [{ ssid: "home", key: "secret", wps: true }] } }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root, { connectTimeout: 10, checkTimeout: 5 });
      cm.onTimeout(() => rec.mark("onTimeout"));
      cm.onConnect(() => rec.mark("onConnect"));
      cm.disconnect(false, -1);
      (root.imp.net as NetApi).configurewps!();
      cm.connect();
    });
    const timeout = ATTEMPT_MS + 10_000;
    expect(rec.entries).toEqual([
      ["onTimeout", timeout],
      ["onConnect", timeout + ATTEMPT_MS], // WPS is disarmed: a plain attempt with the stored network
    ]);
    expect(run.of("attempt").filter((a) => a.t > ATTEMPT_MS)).toHaveLength(2);
  });

  it("a watchdog check that finds the device connected while the attempt's callback is still queued runs one connected flow, and the late callback none", async () => {
    const { rec, bind } = recorder();
    await simulate({ duration: "1m" }, (root) => {
      bind(root);
      // Checks every 20 ms: one is due on the very millisecond the attempt below connects, and
      // was scheduled after the device's last layer, so it runs after the device connected and
      // before the turn that carries the attempt's callback.
      const cm = new ConnectionManager(root, { checkTimeout: 0.02 });
      cm.onConnect(() => rec.mark("onConnect"));
      cm.disconnect(false, -1);
      cm.connect();
    });
    expect(rec.entries).toEqual([["onConnect", 2 * ATTEMPT_MS]]);
  });
});

describe("fix: an attempt started at hardware.millis() == 0 is in progress", () => {
  it("connect() at millisecond zero: a second connect() and a plain disconnect() see the attempt in progress and return false", async () => {
    const { rec, bind } = recorder();
    // Every layer instant: the boot connects at 0 and the program starts at 0.
    const run = await simulate({ duration: "30s", timing: { wifiJoin: 0, dhcp: 0, dns: 0, tcp: 0, tls: 0, session: 0 } }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root);
      cm.onConnect(() => rec.mark("onConnect"));
      rec.mark(`disconnect(false, -1) → ${cm.disconnect(false, -1)}`);
      rec.mark(`connect() → ${cm.connect()}`);
      rec.mark(`connect() → ${cm.connect()}`);
      rec.mark(`disconnect() → ${cm.disconnect()}`);
    });
    expect(rec.entries).toEqual([
      ["disconnect(false, -1) → true", 0],
      ["connect() → true", 0],
      ["connect() → false", 0],
      ["disconnect() → false", 0],
      ["onConnect", 0],
    ]);
    expect(run.of("attempt").map((a) => [a.t, a.reasonName])).toEqual([
      [0, "SERVER_CONNECTED"], // boot
      [0, "SERVER_CONNECTED"], // the one attempt connect() started
    ]);
  });
});

describe("fix: handlers run in registration order", () => {
  it("onConnect, onDisconnect and onTimeout handlers run in the order of their latest registration, each on its own later turn", async () => {
    const { rec, bind } = recorder();
    await simulate({ duration: "1m", events: [{ at: "20s", set: { "world.server.up": false } }] }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root, { retryOnTimeout: false });
      // Ids whose hash order would differ from this order.
      for (const id of ["zeta", "alpha", "mid", "DEFAULT_CB_ID", "b"]) {
        cm.onConnect(() => rec.mark(`connect ${id}`), id);
        cm.onDisconnect((expected) => rec.mark(`disconnect ${id} ${expected}`), id);
        cm.onTimeout(() => rec.mark(`timeout ${id}`), id);
      }
      cm.onConnect(null, "mid").onDisconnect(null, "mid").onTimeout(null, "mid");
      cm.onConnect(() => rec.mark("connect alpha again"), "alpha"); // moves alpha to the end
      // Its own turn: the await's continuation runs before the next handler does.
      cm.onConnect(async () => {
        rec.mark("connect async start");
        await Promise.resolve();
        rec.mark("connect async continued");
      }, "async");
      at(root, 10, () => {
        cm.connect();
        rec.mark("connect() returned"); // handlers never run inside the call
      });
      at(root, 15, () => cm.disconnect());
      at(root, 25, () => cm.connect()); // the server is down: a failed attempt
    });
    expect(rec.labels()).toEqual([
      "connect() returned",
      "connect zeta",
      "connect DEFAULT_CB_ID",
      "connect b",
      "connect alpha again",
      "connect async start",
      "connect async continued",
      "disconnect zeta true",
      "disconnect alpha true",
      "disconnect DEFAULT_CB_ID true",
      "disconnect b true",
      "timeout zeta",
      "timeout alpha",
      "timeout DEFAULT_CB_ID",
      "timeout b",
    ]);
  });
});
