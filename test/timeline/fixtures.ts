import type { TimelineEvent } from "../../src/timeline/events.js";

/** One event of every type, as the simulator would produce them. */
export const ONE_OF_EACH: readonly TimelineEvent[] = [
  { t: 0, device: "dev-a", type: "boot", cause: "cold" },
  {
    t: 3280,
    device: "dev-a",
    type: "attempt",
    interface: "wl0",
    interfaceType: "wifi",
    reason: 4,
    reasonName: "NO_SERVER",
    ms: 3280,
    layer: "server",
    detail: "connection refused",
    layers: [
      { layer: "wifiJoin", start: 0, ms: 2000, ok: true },
      { layer: "tcp", start: 3250, ms: 30, ok: false },
    ],
  },
  { t: 6680, device: "dev-a", type: "connected", interface: "wl0" },
  { t: 7000, device: "dev-a", type: "disconnected", expected: false, reason: 4 },
  { t: 7000, device: "dev-a", type: "callback", api: "connect", reason: 5, reasonName: "SERVER_CONNECTED" },
  { t: 7001, device: "dev-a", type: "log", text: "online", error: false },
  { t: 7002, device: "dev-a", type: "message", from: "device", name: "temp", data: { c: 21.5 } },
  { t: 7003, device: "dev-a", type: "suspend" },
  { t: 7004, device: "dev-a", type: "resume" },
  { t: 7005, device: "dev-a", type: "sleep", seconds: 60 },
  { t: 7006, device: "dev-a", type: "warning", text: "callback under SUSPEND_ON_ERROR" },
  { t: 7007, device: "dev-a", type: "error", text: "boom", stack: "Error: boom\n    at main (device.mjs:3:9)" },
  { t: 150_000, device: "world", type: "world", set: { "world.server.up": false } },
];
