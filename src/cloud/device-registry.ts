import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { RegistryError } from "./cloud-errors.js";
import { LockTimeoutError, withFileLock } from "./file-lock.js";
import { makeDirs } from "./make-dirs.js";
import { badIdReason, DEVICE_ID_PATTERN } from "../wire/topics.js";

const HASH = /^[0-9a-f]{64}$/;
const FileSchema = z.object({
  version: z.literal(1),
  /** The per-registry HMAC key (base64). */
  key: z.string().min(40),
  devices: z.record(z.string().regex(DEVICE_ID_PATTERN), z.object({ hash: z.string().regex(HASH), added: z.string() })),
  services: z.record(z.string().regex(DEVICE_ID_PATTERN), z.object({ hash: z.string().regex(HASH), added: z.string() })).default({}),
});
type RegistryFile = z.infer<typeof FileSchema>;
type Entry = RegistryFile["devices"][string];

/** What identifies one version of the file: an atomic save replaces the inode. */
type Stamp = { ino: number; mtimeMs: number; size: number } | null;

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
    /** The file as this instance last read or wrote it. */
    private stamp: Stamp,
  ) {}

  /** Opens the registry file, creating an empty one (with a fresh key) if absent. */
  static open(file: string, options: { create?: boolean } = {}): DeviceRegistry {
    try {
      const loaded = load(file);
      return new DeviceRegistry(file, loaded.data, loaded.stamp);
    } catch (e) {
      if (!(e instanceof Absent)) throw e;
      if (options.create === false) throw new RegistryError(file, "no such registry file");
    }
    try {
      makeDirs(path.dirname(file), 0o700);
    } catch (e) {
      throw new RegistryError(file, `cannot create its folder (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    // Two processes creating it at once must not each pick a key: the second would hash with one the file does not hold.
    return locked(file, () => {
      try {
        const loaded = load(file);
        return new DeviceRegistry(file, loaded.data, loaded.stamp);
      } catch (e) {
        if (!(e instanceof Absent)) throw e;
      }
      const registry = new DeviceRegistry(file, { version: 1, key: randomBytes(32).toString("base64"), devices: nullProto({}), services: nullProto({}) }, null);
      registry.save();
      return registry;
    });
  }

  get deviceIds(): string[] {
    return Object.keys(this.data.devices);
  }

  /**
   * Registers a device and returns its secret: the only time it exists in
   * clear. An id already registered is refused unless `rotate` (a new secret;
   * the old one stops working), so a typo cannot lock a device out.
   */
  addDevice(id: string, options: { rotate?: boolean } = {}): string {
    return this.add("devices", id, options.rotate === true ? "either" : "new");
  }

  /** Registers a fleet at once (new ids only): one lock and one write of the file, not one per device. */
  addDevices(ids: readonly string[]): string[] {
    return locked(this.file, () => {
      this.reloadIfChanged();
      const before = nullProto({ ...this.data.devices });
      try {
        const secrets = ids.map((id) => this.put("devices", id, "new"));
        this.save();
        return secrets;
      } catch (e) {
        this.data.devices = before; // all or nothing: a later save must not keep half a batch whose secrets nobody got
        throw e;
      }
    });
  }

  addService(name: string, options: { rotate?: boolean } = {}): string {
    return this.add("services", name, options.rotate === true ? "either" : "new");
  }

  /** A new secret for a device or service user that exists; the old one stops working. */
  rotate(id: string): { kind: "device" | "service"; secret: string } {
    this.reloadIfChanged();
    const table = Object.hasOwn(this.data.services, id) ? "services" : "devices";
    return { kind: table === "devices" ? "device" : "service", secret: this.add(table, id, "existing") };
  }

  /** Forgets a device or service user: its secret stops working at its next login. */
  remove(id: string): "device" | "service" {
    return locked(this.file, () => {
      this.reloadIfChanged();
      for (const [table, kind] of [
        ["devices", "device"],
        ["services", "service"],
      ] as const) {
        if (!Object.hasOwn(this.data[table], id)) continue;
        delete this.data[table][id];
        this.save();
        return kind;
      }
      throw new RegistryError(this.file, `no device or service user "${id}" (impnet device list shows them)`);
    });
  }

  /** Who is registered, with when: never a secret, never a hash. */
  list(): { id: string; kind: "device" | "service"; added: string }[] {
    this.reloadIfChanged();
    const entries = (table: Record<string, Entry>, kind: "device" | "service") => Object.entries(table).map(([id, e]) => ({ id, kind, added: e.added }));
    return [...entries(this.data.devices, "device"), ...entries(this.data.services, "service")].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** A service user for this process only; its secret is never stored. */
  addEphemeralService(name: string): string {
    this.reloadIfChanged();
    if (Object.hasOwn(this.data.devices, name)) throw new RegistryError(this.file, `"${name}" is a device: a service user cannot have its name`);
    const secret = randomBytes(32).toString("base64url");
    this.ephemeral.set(name, this.hash(secret));
    return secret;
  }

  /** Whether a device or service of this name exists (to say why a login failed; never the answer to one). */
  knows(username: string): boolean {
    return own(this.data.devices, username) !== undefined || own(this.data.services, username) !== undefined || this.ephemeral.has(username);
  }

  /** Checks a username/secret pair in constant time per candidate. */
  verify(username: string, secret: Buffer | string | undefined): Principal | null {
    if (secret === undefined) return null;
    const given = this.hash(secret);
    // Own properties only: `toString`, `constructor` or `__proto__` must not reach Object.prototype.
    const device = own(this.data.devices, username);
    if (device !== undefined && equal(device.hash, given)) return { kind: "device", id: username };
    const service = own(this.data.services, username);
    if (service !== undefined && equal(service.hash, given)) return { kind: "service", id: username };
    const passing = this.ephemeral.get(username);
    if (passing !== undefined && equal(passing, given)) return { kind: "service", id: username };
    return null;
  }

  /**
   * Re-reads the file if another process replaced it since this instance read
   * or wrote it (`impnet device add` while `impnet serve` runs). Returns true
   * when it did; a file that is now unreadable or malformed is ignored, the
   * entries in memory stay.
   */
  reloadIfChanged(): boolean {
    let now: Stamp;
    try {
      now = stampOf(this.file);
    } catch {
      return false;
    }
    if (sameStamp(now, this.stamp)) return false;
    try {
      const loaded = load(this.file);
      this.data = loaded.data;
      this.stamp = loaded.stamp;
      return true;
    } catch {
      return false;
    }
  }

  /** `new`: the id must not exist; `existing`: it must; `either`: a new secret whatever. */
  private add(table: "devices" | "services", id: string, when: "new" | "existing" | "either"): string {
    // Read, change and write under the lock: parallel `impnet device add`s must each keep the others' devices.
    return locked(this.file, () => {
      this.reloadIfChanged();
      const secret = this.put(table, id, when);
      this.save();
      return secret;
    });
  }

  /** One entry's new secret, in memory: the caller holds the lock and saves. */
  private put(table: "devices" | "services", id: string, when: "new" | "existing" | "either"): string {
    const what = table === "devices" ? "device id" : "service name";
    // `__proto__` would not survive a reload (the file parser drops that key).
    if (!DEVICE_ID_PATTERN.test(id)) throw new RegistryError(this.file, `bad ${what}: ${badIdReason(id)}`);
    if (id === "__proto__") throw new RegistryError(this.file, `bad ${what}: "__proto__" is reserved`);
    // One name, one kind: a service named like a device could otherwise pass for it.
    const clash = table === "devices" ? Object.hasOwn(this.data.services, id) || this.ephemeral.has(id) : Object.hasOwn(this.data.devices, id);
    if (clash) throw new RegistryError(this.file, `"${id}" is already a ${table === "devices" ? "service user" : "device"}: a ${what} must differ from it`);
    const exists = Object.hasOwn(this.data[table], id);
    if (exists && when === "new") throw new RegistryError(this.file, `"${id}" is already registered: impnet device rotate ${id} gives it a new secret (the old one stops working)`);
    if (!exists && when === "existing") throw new RegistryError(this.file, `no device or service user "${id}" (impnet device list shows them)`);
    const secret = randomBytes(32).toString("base64url");
    this.data[table][id] = { hash: this.hash(secret), added: new Date().toISOString() };
    return secret;
  }

  private hash(secret: Buffer | string): string {
    return createHmac("sha256", Buffer.from(this.data.key, "base64")).update(secret).digest("hex");
  }

  private save(): void {
    // A fresh, unguessable name created exclusively: never an existing file or a planted symlink.
    const tmp = `${this.file}.${randomBytes(12).toString("hex")}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600, flag: "wx" });
      renameSync(tmp, this.file); // never a half-written registry
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // not created, or already renamed
      }
      throw new RegistryError(this.file, `cannot write (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    try {
      this.stamp = stampOf(this.file);
    } catch {
      this.stamp = null;
    }
  }
}

/** `withFileLock`, its time-out as the registry's error. */
function locked<T>(file: string, fn: () => T): T {
  try {
    return withFileLock(file, fn);
  } catch (e) {
    if (e instanceof LockTimeoutError) throw new RegistryError(file, e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string" && code.startsWith("E")) throw new RegistryError(file, `cannot lock it (${code})`);
    throw e;
  }
}

/** The file is not there (ENOENT). */
class Absent extends Error {}

function load(file: string): { data: RegistryFile; stamp: Stamp } {
  let text: string;
  let stamp: Stamp;
  try {
    stamp = stampOf(file);
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new Absent();
    throw new RegistryError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RegistryError(file, "not JSON");
  }
  const parsed = FileSchema.safeParse(json);
  if (!parsed.success) throw new RegistryError(file, `not an impnet registry (${parsed.error.issues[0]?.path.join(".") ?? ""}: ${parsed.error.issues[0]?.message ?? ""})`);
  const data = parsed.data;
  return { data: { ...data, devices: nullProto(data.devices), services: nullProto(data.services) }, stamp };
}

function stampOf(file: string): Stamp {
  const s = statSync(file);
  return { ino: s.ino, mtimeMs: s.mtimeMs, size: s.size };
}

function sameStamp(a: Stamp, b: Stamp): boolean {
  return a !== null && b !== null && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size;
}

/** A table without a prototype: no inherited names to find. */
function nullProto(table: Record<string, Entry>): Record<string, Entry> {
  return Object.assign(Object.create(null) as Record<string, Entry>, table);
}

function own(table: Record<string, Entry>, name: string): Entry | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

function equal(storedHex: string, givenHex: string): boolean {
  return timingSafeEqual(Buffer.from(storedHex, "hex"), Buffer.from(givenHex, "hex"));
}
