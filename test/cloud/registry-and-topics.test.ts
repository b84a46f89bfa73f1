import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DeviceRegistry } from "../../src/cloud/device-registry.js";
import { decodeMessage, encodeMessage } from "../../src/wire/payload-codec.js";
import { fnv1a32, parseTopic, partitionOf, topicFor } from "../../src/wire/topics.js";
import { tempDir } from "../host/real-parts.js";

describe("device registry", () => {
  it("stores a keyed hash, never the secret; verifies after reopening; file mode 600", () => {
    const file = path.join(tempDir(), "registry.json");
    const registry = DeviceRegistry.open(file);
    const secret = registry.addDevice("reg-dev");
    expect(Buffer.from(secret, "base64url")).toHaveLength(32);
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = DeviceRegistry.open(file);
    expect(again.verify("reg-dev", secret)).toEqual({ kind: "device", id: "reg-dev" });
    expect(again.verify("reg-dev", `${secret}x`)).toBeNull();
    expect(again.verify("other", secret)).toBeNull();
    expect(again.verify("reg-dev", undefined)).toBeNull();
  });

  it("a fleet registered at once: every secret verifies after reopening; an id that exists or is bad refuses the whole batch, nothing written", () => {
    const file = path.join(tempDir(), "registry.json");
    const registry = DeviceRegistry.open(file);
    registry.addDevice("taken");
    const ids = Array.from({ length: 500 }, (_, i) => `fleet-${i}`);
    const secrets = registry.addDevices(ids);
    expect(new Set(secrets).size).toBe(500);
    const again = DeviceRegistry.open(file);
    ids.forEach((id, i) => expect(again.verify(id, secrets[i])).toEqual({ kind: "device", id }));
    const before = readFileSync(file, "utf8");
    expect(() => registry.addDevices(["new-1", "taken"])).toThrow(/"taken" is already registered/);
    expect(() => registry.addDevices(["new-2", "bad id"])).toThrow(/bad device id/);
    expect(readFileSync(file, "utf8")).toBe(before);
    registry.addDevice("later"); // a later write must not carry half of a refused batch
    expect(DeviceRegistry.open(file).knows("new-1")).toBe(false);
  });

  it("a lock left by a process that died is taken over; the lock is gone after each change", () => {
    const file = path.join(tempDir(), "registry.json");
    const registry = DeviceRegistry.open(file);
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid; // exited: its pid names no process now
    writeFileSync(`${file}.lock`, String(dead));
    const secret = registry.addDevice("after-crash");
    expect(DeviceRegistry.open(file).verify("after-crash", secret)).toEqual({ kind: "device", id: "after-crash" });
    expect(readdirSync(path.dirname(file))).toEqual(["registry.json"]);
  });

  it("a broken or foreign file is a RegistryError naming the file; a bad id is refused", () => {
    const dir = tempDir();
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, "[]");
    expect(() => DeviceRegistry.open(bad)).toThrow(expect.objectContaining({ code: "IMPNET_REGISTRY", message: expect.stringContaining(bad) as unknown }));
    writeFileSync(bad, "{");
    expect(() => DeviceRegistry.open(bad)).toThrow(/not JSON/);
    expect(() => DeviceRegistry.open(path.join(dir, "none.json"), { create: false })).toThrow(/no such registry file/);
    const registry = DeviceRegistry.open(path.join(dir, "ok.json"));
    for (const id of ["", "a/b", "+", "#", "x".repeat(65)]) expect(() => registry.addDevice(id)).toThrow(/bad device id/);
  });
});

describe("device registry: hardening", () => {
  it("names of Object.prototype members are nobody (no throw), and can still be registered as ids", () => {
    const file = path.join(tempDir(), "registry.json");
    const registry = DeviceRegistry.open(file);
    for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"]) {
      expect(registry.verify(name, "x"), name).toBeNull();
      expect(registry.verify(name, Buffer.from("x")), name).toBeNull();
    }
    expect(() => registry.addDevice("__proto__")).toThrow(/bad device id/);
    const secret = registry.addDevice("constructor");
    expect(DeviceRegistry.open(file).verify("constructor", secret)).toEqual({ kind: "device", id: "constructor" });
    expect(DeviceRegistry.open(file).verify("toString", secret)).toBeNull();
  });

  it("creates its directory 0700 and writes through a fresh exclusive temp file: a planted symlink is not followed", () => {
    const dir = path.join(tempDir(), "data");
    const file = path.join(dir, "registry.json");
    DeviceRegistry.open(file);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // The old temp name was predictable (<file>.<pid>.tmp): a symlink there wrote through to its target.
    const victim = path.join(tempDir(), "victim");
    writeFileSync(victim, "untouched");
    symlinkSync(victim, `${file}.${process.pid}.tmp`);
    DeviceRegistry.open(file).addDevice("sym-dev");
    expect(readFileSync(victim, "utf8")).toBe("untouched");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp") && !f.includes(`.${process.pid}.`))).toEqual([]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("re-reads the file when another instance changed it, and keeps the other instance's entries when it adds", () => {
    const file = path.join(tempDir(), "registry.json");
    const serving = DeviceRegistry.open(file);
    const first = serving.addDevice("first");
    expect(serving.reloadIfChanged()).toBe(false); // its own write is no change
    const secret = DeviceRegistry.open(file).addDevice("added-elsewhere");
    expect(serving.verify("added-elsewhere", secret)).toBeNull();
    expect(serving.reloadIfChanged()).toBe(true);
    expect(serving.verify("added-elsewhere", secret)).toEqual({ kind: "device", id: "added-elsewhere" });
    // Another change, then an add here: both survive in the file.
    const third = DeviceRegistry.open(file).addDevice("third");
    serving.addDevice("fourth");
    const reopened = DeviceRegistry.open(file);
    expect(reopened.deviceIds.sort()).toEqual(["added-elsewhere", "first", "fourth", "third"]);
    expect(reopened.verify("first", first)).not.toBeNull();
    expect(reopened.verify("third", third)).not.toBeNull();
    // A file broken meanwhile is ignored: what was loaded stays.
    writeFileSync(file, "{");
    expect(serving.reloadIfChanged()).toBe(false);
    expect(serving.verify("first", first)).not.toBeNull();
  });

  it("a name is a device or a service user, not both", () => {
    const registry = DeviceRegistry.open(path.join(tempDir(), "registry.json"));
    registry.addDevice("both");
    expect(() => registry.addService("both")).toThrow(/already a device/);
    expect(() => registry.addEphemeralService("both")).toThrow(/is a device/);
    registry.addService("svc");
    expect(() => registry.addDevice("svc")).toThrow(/already a service user/);
    registry.addEphemeralService("eph");
    expect(() => registry.addDevice("eph")).toThrow(/already a service user/);
  });
});

describe("topic layout", () => {
  it("partition = fnv1a32(id) % 64 as two hex digits; topics parse back; a wrong partition does not", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(partitionOf("a")).toBe((0xe40c292c % 64).toString(16).padStart(2, "0"));
    const topic = topicFor("dev-1", "log");
    expect(topic).toBe(`impnet/${partitionOf("dev-1")}/dev-1/log`);
    expect(parseTopic(topic)).toEqual({ partition: partitionOf("dev-1"), deviceId: "dev-1", channel: "log" });
    const wrong = partitionOf("dev-1") === "00" ? "01" : "00";
    expect(parseTopic(`impnet/${wrong}/dev-1/log`)).toBeNull();
    expect(parseTopic(`impnet/${partitionOf("dev-1")}/dev-1/other`)).toBeNull();
  });

  it("messages carry JSON and binary both ways", () => {
    const data = { a: [1, "two", null], bin: new Uint8Array([0, 255]), nested: { more: new Uint8Array(0) } };
    expect(decodeMessage(Buffer.from(encodeMessage("m", data)))).toEqual({ name: "m", data });
    expect(decodeMessage(Buffer.from("not json"))).toEqual({ refused: "not JSON" });
  });
});
