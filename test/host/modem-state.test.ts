import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { judgeModem, mmcliPath, parseModemList, readModem } from "../../src/network/host/modem-state.js";
import type { ModemState } from "../../src/network/host/modem-state.js";

/**
 * The cellular layers read from ModemManager, against a fake mmcli: a shell
 * script answering `-L -J` and `-m <path> -J` with canned JSON shaped as
 * mmcli prints it (every value a string, unknown/none as "--").
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "impnet-mmcli-"));
  dirs.push(dir);
  return dir;
}

const MODEM = "/org/freedesktop/ModemManager1/Modem/0";
const SIM = "/org/freedesktop/ModemManager1/SIM/0";

/** A fake mmcli whose body runs after `here` is set to its directory; returns its path. */
function script(body: string, files: Record<string, string> = {}): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  const file = path.join(dir, "mmcli");
  writeFileSync(file, `#!/bin/sh\nhere="\${0%/*}"\n: >"$here/ran"\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** Answers as mmcli does, insisting on the argument order readModem uses. */
function fakeMmcli(list: string, modem: string): string {
  return script(
    `case "$1 $2 $3" in
  "-L -J ") exec cat "$here/list.json" ;;
  "-m ${MODEM} -J") exec cat "$here/modem.json" ;;
  *) echo "error: unexpected arguments: $*" >&2; exit 2 ;;
esac`,
    { "list.json": list, "modem.json": modem },
  );
}

const listOf = (...paths: string[]) => JSON.stringify({ "modem-list": paths });

function modemJson(generic: Record<string, string>, registration?: string): string {
  const modem: Record<string, unknown> = {
    "dbus-path": MODEM,
    generic: { state: "registered", "state-failed-reason": "--", sim: SIM, "unlock-required": "--", ...generic },
  };
  if (registration !== undefined) modem["3gpp"] = { imei: "490154203237518", "registration-state": registration };
  return JSON.stringify({ modem });
}

async function read(generic: Record<string, string>, registration?: string): Promise<ModemState> {
  return readModem({ mmcli: fakeMmcli(listOf(MODEM), modemJson(generic, registration)), timeoutMs: 2000 });
}

/** Every failing verdict says why, and no layer passes above one that failed. */
function expectCoherent(state: ModemState): void {
  for (const verdict of [state.modem, state.sim, state.registration]) {
    if (!verdict.ok) {
      expect(typeof verdict.detail).toBe("string");
      expect(verdict.detail.trim()).not.toBe("");
    }
  }
  if (state.sim.ok) expect(state.modem.ok).toBe(true);
  if (state.registration.ok) expect(state.sim.ok).toBe(true);
}

describe("readModem: the modem, SIM and registration layers from mmcli", () => {
  it.each([
    ["home", "registered"],
    ["roaming", "connected"],
  ])("R10 a modem registered %s (state %s) passes every layer", async (registration, state) => {
    const got = await read({ state }, registration);
    expect(got).toEqual({ modem: { ok: true, path: MODEM }, sim: { ok: true }, registration: { ok: true, state: registration } });
  });

  it("R10 no modem in mmcli's list fails the modem layer, and the layers above are not read", async () => {
    const got = await readModem({ mmcli: fakeMmcli(listOf(), "{}") });
    expect(got.modem).toEqual({ ok: false, detail: "mmcli: no modem" });
    expect(got.sim).toEqual({ ok: false, detail: "not read: no modem" });
    expect(got.registration).toEqual({ ok: false, denied: false, detail: "not read: no modem" });
  });

  it("R10 a SIM that is missing fails the SIM layer, with what mmcli said", async () => {
    const got = await read({ state: "failed", "state-failed-reason": "sim-missing", sim: "--" });
    expect(got.modem).toEqual({ ok: true, path: MODEM });
    expect(got.sim).toEqual({ ok: false, detail: "mmcli: SIM missing (state-failed-reason sim-missing)" });
    expect(got.registration).toMatchObject({ ok: false, denied: false });
    const noPath = await read({ state: "disabled", sim: "--" }, "--");
    expect(noPath.sim).toEqual({ ok: false, detail: "mmcli: SIM missing (no SIM path)" });
  });

  it("R10 a PIN-locked SIM fails the SIM layer, naming the lock", async () => {
    const got = await read({ state: "locked", "unlock-required": "sim-pin" }, "--");
    expect(got.modem.ok).toBe(true);
    expect(got.sim).toEqual({ ok: false, detail: "mmcli: SIM locked (sim-pin)" });
    expect(got.registration).toEqual({ ok: false, denied: false, detail: "not read: SIM not ready" });
  });

  it("R10 a SIM asking only for PIN2 is usable, as ModemManager treats it", async () => {
    const got = await read({ state: "registered", "unlock-required": "sim-pin2" }, "home");
    expect(got.sim).toEqual({ ok: true });
    expect(got.registration).toEqual({ ok: true, state: "home" });
  });

  it("R10 a modem failed for a reason that is not the SIM fails the modem layer", async () => {
    const got = await read({ state: "failed", "state-failed-reason": "unknown-capabilities" }, "--");
    expect(got.modem).toEqual({ ok: false, detail: "mmcli: modem failed (state-failed-reason unknown-capabilities)" });
    expect(got.sim.ok).toBe(false);
  });

  it("R10 a registration the network denied fails the registration layer as denied", async () => {
    const got = await read({ state: "enabled" }, "denied");
    expect(got.modem.ok).toBe(true);
    expect(got.sim).toEqual({ ok: true });
    expect(got.registration).toEqual({ ok: false, denied: true, detail: "mmcli: registration denied" });
  });

  it.each([
    ["searching", "searching", "mmcli: registration searching"],
    ["enabled", "idle", "mmcli: registration idle"],
    ["enabled", "--", "mmcli: registration unknown"],
    ["enabling", "home", "mmcli: registration home but modem state enabling"],
  ])("R10 a modem %s with registration %s is not registered, and not denied", async (state, registration, detail) => {
    const got = await read({ state }, registration);
    expect(got.sim).toEqual({ ok: true });
    expect(got.registration).toEqual({ ok: false, denied: false, detail });
  });

  it("R10 a modem without the 3GPP interface, or without its registration state, is not registered", async () => {
    expect((await read({})).registration).toEqual({ ok: false, denied: false, detail: 'mmcli: registration unknown (no "modem.3gpp")' });
    const bare = fakeMmcli(listOf(MODEM), JSON.stringify({ modem: { generic: { state: "registered", sim: SIM }, "3gpp": {} } }));
    expect((await readModem({ mmcli: bare })).registration).toEqual({
      ok: false,
      denied: false,
      detail: "mmcli: registration unknown (no 3gpp.registration-state)",
    });
  });

  it("R10 ModemManager not running: mmcli's exit and its stderr fail the modem layer", async () => {
    const mmcli = script(`echo "error: couldn't find the ModemManager process in the bus" >&2\nexit 1`);
    const got = await readModem({ mmcli });
    expect(got.modem).toEqual({ ok: false, detail: "mmcli: exited 1 (couldn't find the ModemManager process in the bus)" });
    expect(got.sim).toEqual({ ok: false, detail: "not read: no modem" });
    expect(existsSync(path.join(path.dirname(mmcli), "ran"))).toBe(true); // the marker the abort test relies on works
    expectCoherent(got);
  });

  it("R10 output that is not JSON, or JSON of another shape, fails the modem layer", async () => {
    const text = await readModem({ mmcli: script(`echo "Found 1 modems:"`) });
    expect(text.modem).toEqual({ ok: false, detail: "mmcli: output is not JSON (Found 1 modems:)" });
    const shape = await readModem({ mmcli: fakeMmcli(JSON.stringify({ modems: [MODEM] }), "{}") });
    expect(shape.modem).toEqual({ ok: false, detail: 'mmcli: no "modem-list" in its list of modems' });
    const noGeneric = await readModem({ mmcli: fakeMmcli(listOf(MODEM), JSON.stringify({ modem: {} })) });
    expect(noGeneric.modem).toEqual({ ok: false, detail: `mmcli: no "modem.generic" for ${MODEM}` });
  });

  it("R10 an mmcli that does not answer in time fails the modem layer with a timeout", { timeout: 3000 }, async () => {
    const got = await readModem({ mmcli: script("exec sleep 10"), timeoutMs: 200 });
    expect(got.modem).toEqual({ ok: false, detail: "mmcli: timed out after 200 ms" });
    expectCoherent(got);
  });

  it("an aborted signal stops mmcli: already aborted, it never runs; aborted during the run, it is killed", { timeout: 3000 }, async () => {
    const before = new AbortController();
    before.abort();
    const idle = script("exec sleep 10");
    expect((await readModem({ mmcli: idle, signal: before.signal })).modem).toEqual({ ok: false, detail: "mmcli: aborted" });
    expect(existsSync(path.join(path.dirname(idle), "ran"))).toBe(false);

    const during = new AbortController();
    const pending = readModem({ mmcli: script("exec sleep 10"), signal: during.signal, timeoutMs: 20_000 });
    during.abort(); // the run has started: execFile is called before readModem's first await
    expect((await pending).modem).toEqual({ ok: false, detail: "mmcli: aborted" });
  });

  it("an mmcli path that does not exist fails the modem layer, naming the path", async () => {
    const missing = path.join(tempDir(), "mmcli");
    expect((await readModem({ mmcli: missing })).modem).toEqual({ ok: false, detail: `mmcli: not found at ${missing}` });
  });
});

describe("mmcliPath: where ModemManager's CLI is installed", () => {
  it("finds an executable mmcli in the first directory holding one, and skips one that cannot run", () => {
    const none = tempDir();
    const unrunnable = tempDir();
    writeFileSync(path.join(unrunnable, "mmcli"), "");
    chmodSync(path.join(unrunnable, "mmcli"), 0o644);
    const installed = path.dirname(script("exit 0"));
    expect(mmcliPath([none, unrunnable, installed])).toBe(path.join(installed, "mmcli"));
    expect(mmcliPath([none, unrunnable])).toBeUndefined();
    const here = mmcliPath();
    if (here !== undefined) expect(existsSync(here)).toBe(true);
  });
});

describe("readModem never throws, and every failure says why (property)", () => {
  const value = fc.oneof(
    fc.constantFrom("failed", "locked", "enabled", "registered", "connected", "home", "roaming", "denied", "searching", "idle"),
    fc.constantFrom("--", "none", "", "sim-missing", "sim-error", "sim-pin", "sim-pin2", "sim-puk", SIM, "__proto__"),
    fc.string(),
    fc.jsonValue(),
  );
  const part = <T>(model: Record<string, fc.Arbitrary<T>>) => fc.record(model, { requiredKeys: [] });
  const modemOutput = fc.oneof(
    part({
      modem: fc.oneof(
        part({
          generic: fc.oneof(part({ state: value, "state-failed-reason": value, sim: value, "unlock-required": value }), value),
          "3gpp": fc.oneof(part({ "registration-state": value }), value),
        }),
        value,
      ),
    }).map((v) => JSON.stringify(v)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string(),
  );
  const listOutput = fc.oneof(
    fc.array(fc.oneof(fc.constant(MODEM), fc.string(), fc.jsonValue()), { maxLength: 3 }).map((list) => JSON.stringify({ "modem-list": list })),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string(),
  );

  it("R10 parsing: any list and any modem output give coherent verdicts", () => {
    fc.assert(
      fc.property(listOutput, modemOutput, (list, modem) => {
        const found = parseModemList(list);
        if (!found.ok) expect(found.detail).not.toBe("");
        expectCoherent(judgeModem(found.ok ? found.path : MODEM, modem));
      }),
      { seed: 80509, numRuns: 300 },
    );
  });

  it("R10 end to end: whatever a fake mmcli prints, readModem resolves with coherent verdicts", async () => {
    const dir = path.dirname(script(`case "$1" in -L) exec cat "$here/list.out" ;; *) exec cat "$here/modem.out" ;; esac`));
    await fc.assert(
      fc.asyncProperty(listOutput, modemOutput, async (list, modem) => {
        writeFileSync(path.join(dir, "list.out"), list);
        writeFileSync(path.join(dir, "modem.out"), modem);
        expectCoherent(await readModem({ mmcli: path.join(dir, "mmcli"), timeoutMs: 2000 }));
      }),
      { seed: 80509, numRuns: 10 },
    );
  });
});
