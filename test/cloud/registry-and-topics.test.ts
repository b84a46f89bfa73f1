import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DeviceRegistry } from "../../src/cloud/device-registry.js";
import { decodeMessage, encodeMessage } from "../../src/cloud/payload-codec.js";
import { fnv1a32, parseTopic, partitionOf, topicFor } from "../../src/cloud/topics.js";
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
    expect(decodeMessage(Buffer.from("not json"))).toBeNull();
  });
});
