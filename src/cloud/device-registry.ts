import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { RegistryError } from "./cloud-errors.js";
import { DEVICE_ID_PATTERN } from "./topics.js";

const HASH = /^[0-9a-f]{64}$/;
const FileSchema = z.object({
  version: z.literal(1),
  /** The per-registry HMAC key (base64). */
  key: z.string().min(40),
  devices: z.record(z.string().regex(DEVICE_ID_PATTERN), z.object({ hash: z.string().regex(HASH), added: z.string() })),
  services: z.record(z.string().regex(DEVICE_ID_PATTERN), z.object({ hash: z.string().regex(HASH), added: z.string() })).default({}),
});
type RegistryFile = z.infer<typeof FileSchema>;

export type Principal = { kind: "device"; id: string } | { kind: "service"; id: string };

/**
 * Devices and service users (agent hosts) with their secrets, each stored as
 * HMAC-SHA256(registry key, secret). Secrets are 256 random bits, so a keyed
 * hash is enough: no slow password hash on the connect path; the comparison
 * is constant-time.
 */
export class DeviceRegistry {
  /** Service users that live as long as this process (the embedded agent host): never written out. */
  private readonly ephemeral = new Map<string, string>();

  private constructor(
    readonly file: string,
    private data: RegistryFile,
  ) {}

  /** Opens the registry file, creating an empty one (with a fresh key) if absent. */
  static open(file: string, options: { create?: boolean } = {}): DeviceRegistry {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new RegistryError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
      if (options.create === false) throw new RegistryError(file, "no such registry file");
      const registry = new DeviceRegistry(file, { version: 1, key: randomBytes(32).toString("base64"), devices: {}, services: {} });
      registry.save();
      return registry;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new RegistryError(file, "not JSON");
    }
    const parsed = FileSchema.safeParse(json);
    if (!parsed.success) throw new RegistryError(file, `not an impnet registry (${parsed.error.issues[0]?.path.join(".") ?? ""}: ${parsed.error.issues[0]?.message ?? ""})`);
    return new DeviceRegistry(file, parsed.data);
  }

  get deviceIds(): string[] {
    return Object.keys(this.data.devices);
  }

  /** Registers (or re-keys) a device and returns its secret: the only time it exists in clear. */
  addDevice(id: string): string {
    return this.add("devices", id);
  }

  addService(name: string): string {
    return this.add("services", name);
  }

  /** A service user for this process only; its secret is never stored. */
  addEphemeralService(name: string): string {
    const secret = randomBytes(32).toString("base64url");
    this.ephemeral.set(name, this.hash(secret));
    return secret;
  }

  /** Checks a username/secret pair in constant time per candidate. */
  verify(username: string, secret: Buffer | string | undefined): Principal | null {
    if (secret === undefined) return null;
    const given = this.hash(secret);
    const device = this.data.devices[username];
    if (device !== undefined && equal(device.hash, given)) return { kind: "device", id: username };
    const service = this.data.services[username];
    if (service !== undefined && equal(service.hash, given)) return { kind: "service", id: username };
    const passing = this.ephemeral.get(username);
    if (passing !== undefined && equal(passing, given)) return { kind: "service", id: username };
    return null;
  }

  private add(table: "devices" | "services", id: string): string {
    if (!DEVICE_ID_PATTERN.test(id)) throw new RegistryError(this.file, `bad ${table === "devices" ? "device id" : "service name"} "${id.slice(0, 64)}": use 1-64 of A-Z a-z 0-9 . _ -`);
    const secret = randomBytes(32).toString("base64url");
    this.data[table][id] = { hash: this.hash(secret), added: new Date().toISOString() };
    this.save();
    return secret;
  }

  private hash(secret: Buffer | string): string {
    return createHmac("sha256", Buffer.from(this.data.key, "base64")).update(secret).digest("hex");
  }

  private save(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file); // never a half-written registry
  }
}

function equal(storedHex: string, givenHex: string): boolean {
  return timingSafeEqual(Buffer.from(storedHex, "hex"), Buffer.from(givenHex, "hex"));
}
