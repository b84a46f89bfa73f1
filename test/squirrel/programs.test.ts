import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AgentEntry } from "../../src/cloud/agent-runtime.js";
import { RELEASES } from "../../src/releases.js";
import { loadSquirrel, squirrelFromText } from "../../src/programs/squirrel/load-squirrel.js";
import { CompileError } from "../../src/squirrel/compiler/compile-error.js";
import { simulate } from "../support/simulate.js";
import { agentNut, nut } from "../support/squirrel.js";


const logs = (run: Awaited<ReturnType<typeof simulate>>, device?: string) => run.of("log", device).map((l) => l.text);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "impnet-nut-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("S1 where Squirrel runs: the root table, one VM per copy, nv", () => {
  it.each(RELEASES.map((r) => [r]))("S1 release %i: the Squirrel root table holds the JavaScript root table's names, and the language's globals", async (release) => {
    const jsNames: string[] = [];
    await simulate({ duration: "10s", devices: [{ id: "dev", release }] }, (root) => {
      for (const k in root) jsNames.push(k);
    });
    const run = await simulate(
      { duration: "10s", devices: [{ id: "dev", release }] },
      nut(`
        local names = [];
        foreach (k, v in getroottable()) names.append(k);
        names.sort();
        foreach (n in names) server.log(n);
      `),
    );
    const names = logs(run);
    expect(jsNames.length).toBeGreaterThan(20);
    for (const n of jsNames) expect(names, n).toContain(n);
    for (const n of ["array", "format", "split", "getroottable", "blob", "regexp", "math"]) expect(names).toContain(n);
    expect(names).not.toContain("http"); // the agent's, not the device's
    expect(names).not.toContain("print"); // not on the imp
  });

  it("S1 print does not exist on the imp: calling it is the usual index error, an error line", async () => {
    const run = await simulate({ duration: "10s" }, nut(`print("hello");`));
    expect(run.of("error")[0]?.text).toBe("the index 'print' does not exist");
  });

  it("S1 every copy has its own VM: globals are not shared", async () => {
    const run = await simulate(
      { duration: "10s", devices: [{ id: "dev", count: 2 }] },
      nut(`
        if (!("counter" in getroottable())) ::counter <- 0;
        ::counter++;
        server.log(hardware.getdeviceid() + " " + counter);
      `),
    );
    expect(logs(run).sort()).toEqual(["dev-1 1", "dev-2 1"]);
  });

  it("S1 S7 a restart after an error builds a fresh VM; only nv survives", async () => {
    const run = await simulate(
      { duration: "30s" },
      nut(`
        if (!("boots" in nv)) nv.boots <- 0;
        nv.boots++;
        server.log("boot " + nv.boots + " global " + ("g" in getroottable()));
        ::g <- 1;
        if (nv.boots == 1) throw "first boot fails";
      `),
    );
    expect(logs(run)).toEqual(["boot 1 global false", "boot 2 global false"]);
    expect(run.of("boot").map((b) => b.cause)).toEqual(["cold", "error"]);
  });

  it("S1 an agent's root table has imp, http, time, date and math but no hardware and no nv", async () => {
    const agent = agentNut(`
      device.on("q", function(d) {
        local root = getroottable();
        device.send("a", [("hardware" in root), ("nv" in root), ("http" in root), ("imp" in root), imp.environment() == ENVIRONMENT_AGENT, typeof time()]);
      });
    `);
    const run = await simulate({ duration: "20s" }, nut(`agent.on("a", function(d) {}); agent.send("q", null);`), { dev: agent });
    expect(run.of("error")).toEqual([]);
    expect(run.of("message").find((m) => m.from === "agent")?.data).toEqual([false, false, true, true, true, "integer"]);
  });

  it("S1 S4 peripherals are not emulated: a clear error naming the call", async () => {
    const run = await simulate({ duration: "10s" }, nut(`hardware.pin1.configure(DIGITAL_OUT);`));
    expect(run.of("error")[0]?.text).toBe("hardware.pin1 is not emulated by impnet (no pins or peripherals are simulated)");
  });
});

describe("S5 blocking calls block the Squirrel program where it stands", () => {
  it("S5 imp.sleep blocks mid-expression; the event loop is frozen meanwhile (a due wakeup waits)", async () => {
    const run = await simulate(
      { duration: "30s" },
      nut(`
        imp.wakeup(1, function() { server.log("wakeup at " + hardware.millis()); });
        local t0 = hardware.millis();
        server.log("slept " + (function() { imp.sleep(3); return hardware.millis() - t0; })());
      `),
    );
    expect(logs(run)).toEqual(["slept 3000", expect.stringMatching(/^wakeup at \d+$/)]);
    const wake = Number(logs(run)[1]!.split(" ").at(-1));
    const boot = run.of("boot")[0]!.t;
    expect(wake).toBe(boot + 3000);
  });

  it("S5 imp.sleep on the agent: no message is handled until it wakes", async () => {
    const agent = agentNut(`
      local start = time();
      device.on("m", function(d) { server.log("agent got " + d + " at " + date().sec); });
      imp.sleep(5);
      server.log("agent awake");
    `);
    const run = await simulate({ duration: "30s" }, nut(`agent.send("m", 1);`), { dev: agent });
    const lines = logs(run);
    expect(lines[0]).toBe("agent awake");
    expect(lines[1]).toMatch(/^agent got 1 at \d+$/);
  });
});

describe("S7 errors", () => {
  it("S7 an uncaught runtime error is an error line with the Squirrel message and stack, innermost first", async () => {
    const run = await simulate(
      { duration: "5s" },
      nut(
        `function inner(t) {\n  return t.missing;\n}\nfunction outer() {\n  return inner({});\n}\nouter();\n`,
        "/abs/app.nut",
      ),
    );
    const err = run.of("error")[0]!;
    expect(err.text).toBe("the index 'missing' does not exist");
    expect(err.stack.split("\n").slice(1)).toEqual(["    at inner (/abs/app.nut:2)", "    at outer (/abs/app.nut:5)", "    at main (/abs/app.nut:7)"]);
  });

  it("S7 a thrown non-string value reports its text", async () => {
    const run = await simulate({ duration: "5s" }, nut(`throw 42;`));
    expect(run.of("error")[0]?.text).toBe("42");
  });

  it("S7 a runaway loop is a program error after a bounded number of operations, not a hang", async () => {
    const run = await simulate({ duration: "15s" }, nut(`server.log("start"); local i = 0; while (true) { i++; }`));
    expect(run.of("error")[0]?.text).toMatch(/endless loop/);
    expect(run.of("boot").map((b) => b.cause)).toEqual(["cold", "error"]);
  });

  it("S7 a program that does not compile is rejected before anything runs: FILE:LINE:COLUMN", () => {
    const dir = folder({ "bad.nut": "local a = 1;\nlocal b = (a + ;\n" });
    const file = path.join(dir, "bad.nut");
    expect(() => loadSquirrel(file, { libs: [] })).toThrow(CompileError);
    try {
      loadSquirrel(file, { libs: [] });
    } catch (e) {
      expect((e as CompileError).message).toMatch(/bad\.nut:2:16: expression expected$/);
      expect((e as CompileError).code).toBe("IMPNET_SQUIRREL_COMPILE");
    }
  });

  it("S6 S7 a compile error in an included file names that file and its own line", () => {
    const dir = folder({ "main.nut": '@include "lib.nut"\nlocal x = 1;\n', "lib.nut": "// a library\nfunction f() {\n  return 1 +;\n}\n" });
    expect(() => loadSquirrel(path.join(dir, "main.nut"), { libs: [] })).toThrow(/lib\.nut:3:13: expression expected$/);
  });

  it("S6 a missing #require library is one clear error naming it, its version and the folders searched", () => {
    const libs = folder({});
    const dir = folder({ "main.nut": '#require "Missing.lib.nut:1.2.3"\n' });
    expect(() => loadSquirrel(path.join(dir, "main.nut"), { libs: [libs] })).toThrow(/Missing\.lib\.nut.*1\.2\.3[\s\S]*impnet-nut-/);
  });
});

describe("S1 messages between Squirrel programs keep Squirrel's types", () => {
  it("S1 integer vs float, byte strings, nested tables with integer keys, null and booleans survive device → agent → device", async () => {
    const agent = agentNut(`device.on("echo", function(d) { device.send("back", d); });`);
    const run = await simulate(
      { duration: "20s" },
      nut(`
        local sent = { zero = 0.0, one = 1, bytes = "\\xff\\x00\\x41", nested = { [1] = "int key", [2.5] = true }, list = [null, false, 3.25] };
        agent.on("back", function(d) {
          server.log(typeof d.zero + " " + d.zero + " " + typeof d.one + " " + d.bytes.len() + " " + d.bytes[0]);
          server.log(d.nested[1] + " " + d.nested[2.5] + " " + (d.list[0] == null) + " " + d.list[1] + " " + typeof d.list[2]);
        });
        agent.send("echo", sent);
      `),
      { dev: agent },
    );
    expect(run.of("error")).toEqual([]);
    expect(logs(run)).toEqual(["float 0 integer 3 255", "int key true true false float"]);
    // The timeline and JavaScript ends see R33's JSON projection.
    expect(run.of("message")[0]?.data).toMatchObject({ zero: 0, one: 1, list: [null, false, 3.25] });
  });

  it("S1 the agent's device.send returns nothing, as the imp's does (libraries test `if (!send(...))` for success on both sides)", async () => {
    const agent = agentNut(`device.on("hi", function(d) { server.log("device.send gives " + typeof device.send("back", d)); });`);
    const run = await simulate({ duration: "20s" }, nut(`agent.on("back", function(d) {}); server.log("agent.send gives " + agent.send("hi", 1));`), { dev: agent });
    expect(logs(run)).toEqual(["agent.send gives 0", "device.send gives null"]);
  });

  it("S1 a table key must be a safe string (UTF-8, no NUL) to be sent: a catchable error on either side; values may hold any bytes, keys may be integers", async () => {
    const tries = `
      foreach (i, data in [{ ["\\x00\\x01"] = "value" }, [1, { ["\\xff"] = 1 }], { ok = "\\x00\\xff", [7] = "int key", ["caf\\xc3\\xa9"] = "utf-8 key" }]) {
        try { SEND("m", data); server.log(i + " sent"); } catch (e) { server.log(i + " refused: " + e); }
      }`;
    const agent = agentNut(`device.on("m", function(d) { server.log("agent got " + d.ok.len() + " " + d[7] + " " + d["caf\\xc3\\xa9"]); }); device.onconnect(function() { ${tries.replace("SEND", "device.send")} });`);
    const run = await simulate({ duration: "20s" }, nut(`agent.on("m", function(d) { server.log("device got " + d.ok.len()); }); ${tries.replace("SEND", "agent.send")}`), { dev: agent });
    const lines = logs(run);
    for (const side of [0, 1]) {
      const mine = side === 0 ? lines.slice(0, 3) : lines.slice(3, 6);
      expect(mine[0]).toMatch(/^0 refused: cannot serialize a table key that is not a safe string \(UTF-8 without NUL\): "\\u0000\\u0001"$/);
      expect(mine[1]).toMatch(/^1 refused: cannot serialize a table key that is not a safe string/);
      expect(mine[2]).toBe("2 sent");
    }
    expect(lines.slice(6).sort()).toEqual(["agent got 2 int key utf-8 key", "device got 2"]);
  });

  it("R33 S5 an agent message that arrives while the device's top-level code sleeps reaches the handler that code registers after waking", async () => {
    const agent: AgentEntry = ({ device, imp }) => device.onconnect(() => void imp.wakeup(0.5, () => device.send("early", 1)));
    const run = await simulate({ duration: "20s" }, nut(`imp.sleep(2); agent.on("early", function(d) { server.log("got early " + d); });`), { dev: agent });
    expect(logs(run)).toEqual(["got early 1"]);
    expect(run.of("warning")).toEqual([]);
  });

  it("S1 a JavaScript agent gets the JSON projection of a Squirrel device's message", async () => {
    const seen: unknown[] = [];
    const agent: AgentEntry = ({ device }) => device.on("m", (d) => void seen.push(d));
    await simulate({ duration: "10s" }, nut(`agent.send("m", { a = 1, f = 2.0, s = "é" });`), { dev: agent });
    expect(seen).toEqual([{ a: 1, f: 2, s: "é" }]);
  });
});

describe("S4 blob and regexp as Squirrel programs see them", () => {
  it("S4 blob: typeof, writen/readn, indexing, foreach over bytes, writestring with NUL, tostring", async () => {
    const run = await simulate(
      { duration: "10s" },
      nut(`
        local b = blob(4);
        b.writen(0x01020304, 'i');
        server.log(typeof b + " " + b.len() + " " + b.tell() + " " + b[0] + " " + b[3]);
        b.seek(0);
        server.log(format("%08x", b.readn('i')));
        local s = "";
        foreach (i, v in b) s += i + ":" + v + " ";
        server.log(s);
        b[1] = 255;
        server.log(b[1] + " " + b.tostring().len());
        local w = blob();
        w.writestring("hi\\x00there");
        server.log(w.len() + " " + w.tostring().len() + " " + (b instanceof blob));
        try { b[9] = 1; } catch (e) { server.log(e); }
      `),
    );
    expect(run.of("error")).toEqual([]);
    expect(logs(run)).toEqual(["blob 4 4 4 1", "01020304", "0:4 1:3 2:2 3:1 ", "255 4", "8 8 true", "index out of range"]);
  });

  it("S4 regexp: match, search, capture, subexpcount; a bad pattern is Squirrel's error", async () => {
    const run = await simulate(
      { duration: "10s" },
      nut(`
        local r = regexp("([a-z]+)=(\\\\d+)");
        local caps = r.capture("x temp=42 y");
        server.log(caps.len() + " " + caps[1].begin + ".." + caps[1].end + " " + caps[2].begin + ".." + caps[2].end);
        local m = r.search("a=1 b=22", 3);
        server.log(m.begin + " " + m.end + " " + r.match("temp=42") + " " + r.match("temp=") + " " + r.subexpcount());
        try { regexp("(a"); } catch (e) { server.log(e); }
      `),
    );
    expect(run.of("error")).toEqual([]);
    expect(logs(run)).toEqual(["3 2..6 7..9", "4 8 true false 3", "expected paren"]);
  });

  it("S1 S4 a blob sent by a Squirrel device reaches a Squirrel agent as a blob, bytes intact", async () => {
    const agent = agentNut(`device.on("b", function(d) { device.send("back", [typeof d, d.len(), d[0], d[2]]); });`);
    const run = await simulate(
      { duration: "10s" },
      nut(`
        agent.on("back", function(d) { server.log(d[0] + " " + d[1] + " " + d[2] + " " + d[3]); });
        local b = blob(3); b[0] = 0xff; b[2] = 7;
        agent.send("b", b);
      `),
      { dev: agent },
    );
    expect(logs(run)).toEqual(["blob 3 255 7"]);
  });
});

describe("S5 S7 blocking calls and the program's life", () => {
  it("S5 R20 a stack blocked in imp.sleep never resumes once its program has stopped (the device slept and woke meanwhile)", async () => {
    const run = await simulate(
      { duration: "40m", events: [{ at: "10s", set: { "world.wifi": [] } }, { at: "12m", set: { "world.wifi": [{ ssid: "home", key: "secret" }] } }] },
      nut(`
        if (!("boots" in nv)) nv.boots <- 0;
        nv.boots++;
        if (nv.boots == 1) {
          imp.sleep(1500);
          server.log("the first program woke up");
        } else server.log("boot " + nv.boots);
      `),
    );
    expect(run.of("boot").map((b) => b.cause)).toContain("wake");
    expect(logs(run)).not.toContain("the first program woke up");
  });

  it("S5 S7 blocking for no time in an endless loop is a runaway program error, not a hang", async () => {
    const run = await simulate({ duration: "20s" }, nut(`server.log("start"); while (true) { try { imp.sleep(0); } catch (e) {} }`));
    expect(run.of("error")[0]?.text).toMatch(/timers ran at virtual time \d+ ms without time advancing/);
  });

  it("S5 an agent blocked in imp.sleep handles a message that arrived meanwhile with the handler it registers after waking", async () => {
    const agent = agentNut(`imp.sleep(10); device.on("m", function(d) { server.log("agent got " + d); });`);
    const run = await simulate({ duration: "30s" }, nut(`agent.send("m", 1);`), { dev: agent });
    expect(logs(run)).toEqual(["agent got 1"]);
    expect(run.of("warning")).toEqual([]);
  });
});

describe("S1 S7 hostile and odd input stays a Squirrel matter", () => {
  it("S1 nv keeps data across a restart, not functions (nothing of the old VM reaches the new one)", async () => {
    const run = await simulate(
      { duration: "30s" },
      nut(`
        if (!("boots" in nv)) { nv.boots <- 0; nv.fn <- function() {}; nv.data <- { list = [1, 2.5, "x"] }; }
        nv.boots++;
        server.log(nv.boots + " " + ("fn" in nv) + " " + nv.data.list[1]);
        if (nv.boots == 1) throw "restart";
      `),
    );
    expect(logs(run)).toEqual(["1 true 2.5", "2 false 2.5"]);
  });

  it("S1 a table key named __proto__ is data in the JSON projection; integers beyond 32 bits arrive as floats", async () => {
    const seen: unknown[] = [];
    const agent: AgentEntry = ({ device }) => {
      device.on("m", (d) => {
        seen.push(Object.getPrototypeOf(d) === Object.prototype, Object.keys(d as object));
        device.send("big", 3000000000);
      });
    };
    const run = await simulate({ duration: "10s" }, nut(`agent.on("big", function(d) { server.log(typeof d); }); agent.send("m", { __proto__ = 1 });`), { dev: agent });
    expect(seen).toEqual([true, ["__proto__"]]);
    expect(logs(run)).toEqual(["float"]);
  });

  it("S7 a table that contains itself cannot be sent: Squirrel's error, catchable", async () => {
    const run = await simulate({ duration: "10s" }, nut(`local t = {}; t.self <- t; try { agent.send("m", t); } catch (e) { server.log(e); }`));
    expect(logs(run)[0]).toMatch(/cannot serialize data nested more than 64 levels/);
  });

  it("S7 runaway recursion is a catchable 'stack overflow', in the first run and after a restart alike", async () => {
    const program = `function rec(n) { return rec(n + 1) + 1; }
try { rec(0); } catch (e) { server.log("caught " + e); }
if (!("again" in nv)) { nv.again <- true; throw "restart"; }`;
    const run = await simulate({ duration: "1m" }, nut(program));
    expect(logs(run)).toEqual(["caught stack overflow", "caught stack overflow"]);
  });

  it("S7 an allocation beyond impnet's limit is a catchable Squirrel error, not the host running out of memory", async () => {
    const run = await simulate({ duration: "10s" }, nut(`foreach (f in [@() array(100000000), @() [1].resize(1000000000), @() blob(2000000000)]) try { f(); } catch (e) { server.log(e); }`));
    expect(logs(run)).toEqual([expect.stringMatching(/^not enough memory: an array of 100000000/), expect.stringMatching(/^not enough memory: an array/), expect.stringMatching(/^not enough memory: a blob/)]);
  });

  it("S7 expressions nested too deeply are a compile error with a place, not a host crash", () => {
    expect(() => squirrelFromText(`local x = ${"(".repeat(5000)}1${")".repeat(5000)};`, "deep.nut")).toThrow(/^deep\.nut:1:\d+: expressions or blocks nested too deeply$/);
  });

  it("S7 functions nest up to 200 deep; one more is a compile error at the function that goes past", () => {
    const nested = (depth: number) => `local f = ${"@() ".repeat(depth)}1;`;
    expect(() => squirrelFromText(nested(200), "deep.nut")).not.toThrow();
    expect(() => squirrelFromText(nested(201), "deep.nut")).toThrow(/^deep\.nut:1:\d+: functions nested more than 200 deep$/);
    const methods = `class A { function f() { return ${"function() { return ".repeat(200)}1${"; }".repeat(200)}; } }`;
    expect(() => squirrelFromText(methods, "deep.nut")).toThrow(/functions nested more than 200 deep/);
  });
});
