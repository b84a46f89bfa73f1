import { writeFileSync } from "node:fs";
import path from "node:path";
import { tempDir } from "../host/real-parts.js";

/** A fleet of `devices` (a program that does nothing) that loses its server at 2m and gets it back at 12m, written to a scenario file in `dir`. */
export function outage(devices: number, dir = tempDir()): { file: string; dir: string; raw: Record<string, unknown> } {
  const raw = {
    duration: "20m",
    seed: 3,
    world: { server: { host: "impnet.local", up: true, failure: "refuse" }, wifi: [{ ssid: "home", key: "secret" }] },
    devices: [{ id: "dev", program: "./device.mjs", count: devices }],
    events: [
      { at: "2m", set: { "world.server.up": false } },
      { at: "12m", set: { "world.server.up": true } },
    ],
  };
  writeFileSync(path.join(dir, "device.mjs"), "export default function main() {}\n");
  const file = path.join(dir, "scenario.json");
  writeFileSync(file, JSON.stringify(raw));
  return { file, dir, raw };
}
