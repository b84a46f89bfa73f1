import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { connectAsync } from "mqtt";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { RealClock } from "../src/clock/real-clock.js";
import { DeviceRegistry } from "../src/cloud/device-registry.js";
import { EmbeddedCloud } from "../src/cloud/embedded-cloud.js";
import { partitionOf, topicFor } from "../src/wire/topics.js";
import { freePort, makeCertificates, onCleanup, sleep, startSilentServer, tempDir } from "./host/real-parts.js";

function io(env: NodeJS.ProcessEnv = {}, signal?: AbortSignal) {
  const out = { text: "" };
  const err = { text: "" };
  return {
    out,
    err,
    io: { stdout: { write: (s: string) => (out.text += s) }, stderr: { write: (s: string) => (err.text += s) }, env, ...(signal === undefined ? {} : { signal }) },
  };
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const t = io(env);
  const code = await main(["node", "impnet", ...args], t.io);
  return { code, out: t.out.text, err: t.err.text };
}

/** How long a wait for serve's output may take before the test fails with what serve said. */
const SERVE_WAIT_MS = 10_000;

/**
 * `impnet serve` in-process. Every wait on its output races its return: a
 * serve that fails fails the test at once, its stderr in the message. It is
 * stopped after the test file even when the test fails part-way.
 */
function startServe(args: string[]) {
  const controller = new AbortController();
  const t = io({}, controller.signal);
  const ended: { code?: number; error?: unknown } = {};
  const serving = main(["node", "impnet", "serve", ...args], t.io).then(
    (code) => ((ended.code = code), code),
    (error: unknown) => {
      ended.error = error;
      throw error;
    },
  );
  serving.catch(() => {}); // reported by until() or by the awaiting test
  const stop = onCleanup(async () => {
    controller.abort();
    await serving.catch(() => {});
  });
  const until = async (what: string, predicate: () => boolean): Promise<void> => {
    for (let waited = 0; !predicate(); waited += 10) {
      if ("code" in ended || "error" in ended) {
        const how = "error" in ended ? `threw ${String(ended.error)}` : `returned ${ended.code}`;
        throw new Error(`impnet serve ${how} before ${what}; stderr: ${JSON.stringify(t.err.text)}`);
      }
      if (waited >= SERVE_WAIT_MS) throw new Error(`no ${what} from impnet serve after ${SERVE_WAIT_MS} ms; stderr: ${JSON.stringify(t.err.text)}`);
      await sleep(10);
    }
  };
  /** The first line of output (--json: the URLs), once serve printed it. */
  const firstLine = async () => {
    await until("its first line", () => t.out.text.includes("\n"));
    return t.out.text.split("\n")[0]!;
  };
  /** Stops serve (as Ctrl-C would) and returns its exit code. */
  const finish = async () => {
    await stop();
    return serving;
  };
  return { out: t.out, err: t.err, until, firstLine, finish };
}

/** A data folder with one device (and a service user, when named), and `impnet serve --json` on it. */
async function servedDevice(id: string, serviceName?: string) {
  const data = tempDir();
  const { secret } = JSON.parse((await cli(["device", "add", id, "--data", data, "--json"])).out) as { secret: string };
  const service =
    serviceName === undefined ? { secret: "", kind: "" } : (JSON.parse((await cli(["device", "add", serviceName, "--service", "--data", data, "--json"])).out) as { secret: string; kind: string });
  const serve = startServe(["--port", "0", "--json", "--data", data]);
  const { mqtt } = JSON.parse(await serve.firstLine()) as { mqtt: string };
  return { data, secret, service, serve, mqtt };
}

describe("impnet serve, device add, run", () => {
  it("serve warns when it listens beyond loopback without TLS, and not on loopback", async () => {
    const open = startServe(["--port", "0", "--json", "--host", "0.0.0.0", "--data", tempDir()]);
    await open.firstLine();
    expect(open.err.text).toContain("without TLS");
    expect(await open.finish()).toBe(0);
    const local = startServe(["--port", "0", "--json", "--data", tempDir()]);
    await local.firstLine();
    expect(local.err.text).toBe("");
    expect(await local.finish()).toBe(0);
  });

  it("serve --json prints the MQTT URL and the registry; device add prints a secret once; run connects and its logs reach the cloud", async () => {
    const data = tempDir();
    const added = await cli(["device", "add", "cli-dev", "--data", data, "--json"]);
    expect(added.code).toBe(0);
    const { secret } = JSON.parse(added.out) as { secret: string };
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(path.join(data, "registry.json"), "utf8")).not.toContain(secret);

    const serve = startServe(["--port", "0", "--json", "--data", data]);
    const first = JSON.parse(await serve.firstLine()) as { mqtt: string; registry: string };
    expect(first.mqtt).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(first.registry).toBe(path.join(data, "registry.json"));

    const program = path.join(data, "device.mjs");
    writeFileSync(program, 'export default function main({ server }) { server.log("hello from the real stack"); }\n');
    const run = await cli(["run", program, "--server", first.mqtt, "--id", "cli-dev", "--json", "--for", "300ms"], { IMPNET_DEVICE_SECRET: secret });
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    const lines = run.out.trimEnd().split("\n").map((l) => JSON.parse(l) as { type: string; reasonName?: string });
    expect(lines[0]).toMatchObject({ type: "attempt", reasonName: "SERVER_CONNECTED" });
    expect(lines.map((l) => l.type)).toEqual(expect.arrayContaining(["connected", "boot", "disconnected"]));
    // Without --agent, run prints the program's own server.log lines too, once each, as the broker took them.
    expect(lines.filter((l) => l.type === "log")).toEqual([expect.objectContaining({ device: "cli-dev", text: "hello from the real stack", error: false })]);
    expect(run.out).not.toContain(secret);

    await serve.until("the device's log", () => serve.out.text.includes("hello from the real stack"));
    expect(await serve.finish()).toBe(0);
    expect(readFileSync(path.join(data, "server-log.jsonl"), "utf8")).toContain("hello from the real stack");
  });

  it("serve prints logins with the wall clock: online with the peer, offline, refused with the id and why (never the secret), and a stopped line", async () => {
    const data = tempDir();
    const { secret } = JSON.parse((await cli(["device", "add", "log-dev", "--data", data, "--json"])).out) as { secret: string };
    const serve = startServe(["--port", "0", "--data", data]);
    const url = /listening on (mqtt:\/\/\S+)/.exec(await serve.firstLine())![1]!;
    const program = path.join(data, "device.mjs");
    writeFileSync(program, "export default function main() {}\n");
    expect((await cli(["run", program, "--server", url, "--id", "log-dev", "--until-connected"], { IMPNET_DEVICE_SECRET: secret })).code).toBe(0);
    const wrong = "not-the-secret-at-all";
    expect((await cli(["run", program, "--server", url, "--id", "log-dev", "--until-connected", "--for", "2s"], { IMPNET_DEVICE_SECRET: wrong })).code).toBe(1);
    await serve.until("the refused login", () => serve.out.text.includes("refused"));
    expect(await serve.finish()).toBe(0);

    const lines = serve.out.text.trimEnd().split("\n").slice(5); // after the listening block
    const stamp = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}";
    expect(lines[0]).toMatch(new RegExp(`^${stamp}  log-dev +online +from 127\\.0\\.0\\.1:\\d+$`));
    expect(lines[1]).toMatch(new RegExp(`^${stamp}  log-dev +offline +connection closed$`));
    expect(lines[2]).toMatch(new RegExp(`^${stamp}  log-dev +refused +wrong secret  from 127\\.0\\.0\\.1:\\d+$`));
    expect(lines.at(-1)).toMatch(new RegExp(`^${stamp}  impnet cloud stopped$`));
    expect(serve.out.text).not.toContain(wrong);
    expect(serve.out.text).not.toContain(secret);
    // The clock on the lines is the wall's: the first login is today, give or take the test's own run.
    const first = new Date(lines[0]!.slice(0, 23).replace(" ", "T"));
    expect(Math.abs(first.getTime() - new RealClock().now())).toBeLessThan(10 * 60_000);
  });

  it("serve's dashboard: its URL in the first line (--json) and in the listening block, on loopback; none with --no-dashboard; a dashboard port that is taken fails at start, saying so", async () => {
    const serve = startServe(["--port", "0", "--json", "--data", tempDir()]);
    const first = JSON.parse(await serve.firstLine()) as { dashboard?: string };
    expect(first.dashboard).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(first.dashboard!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>impnet dashboard</title>");
    const human = startServe(["--port", "0", "--data", tempDir()]);
    await human.until("the listening block", () => human.out.text.includes("add a device"));
    expect(human.out.text).toMatch(/^impnet cloud listening on mqtt:\S+\n {2}dashboard: +http:\/\/127\.0\.0\.1:\d+\/\n/);
    const none = startServe(["--port", "0", "--json", "--no-dashboard", "--data", tempDir()]);
    expect(Object.keys(JSON.parse(await none.firstLine()) as object)).toEqual(["mqtt", "registry", "log"]);
    const port = new URL(first.dashboard!).port;
    const taken = await cli(["serve", "--port", "0", "--dashboard-port", port, "--data", tempDir()]);
    expect(taken).toMatchObject({ code: 2, out: "" });
    expect(taken.err).toBe(`impnet: --dashboard-host/--dashboard-port: the dashboard cannot listen on 127.0.0.1:${port} (EADDRINUSE)\n`);
    for (const s of [serve, human, none]) expect(await s.finish()).toBe(0);
  });

  it("serve --json: the same logins as timeline lines (online, offline, refused with from and why) and a last stopped line", async () => {
    const data = tempDir();
    const serve = startServe(["--port", "0", "--json", "--data", data]);
    const { mqtt } = JSON.parse(await serve.firstLine()) as { mqtt: string };
    const program = path.join(data, "device.mjs");
    writeFileSync(program, "export default function main() {}\n");
    await cli(["run", program, "--server", mqtt, "--id", "nobody", "--until-connected", "--for", "1s"], { IMPNET_DEVICE_SECRET: "s" });
    await serve.until("the refused login", () => serve.out.text.includes('"refused"'));
    expect(await serve.finish()).toBe(0);
    const lines = serve.out.text.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.type === "refused")).toMatchObject({ device: "nobody", why: "unknown id", from: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as unknown });
    expect(Object.keys(lines.at(-1)!)).toEqual(["stopped"]);
    expect(new Date(lines.at(-1)!.stopped as string).toISOString()).toBe(lines.at(-1)!.stopped);
  });

  it("doctor with --id proves the session and leaves no trace: no status, no will, nothing subscribed", async () => {
    const { secret, service, serve, mqtt } = await servedDevice("doc-dev", "watcher");
    const watcher = await connectAsync(mqtt, { username: "watcher", password: service.secret, clientId: "watcher:doctor-test", protocolVersion: 4 });
    const seen: string[] = [];
    watcher.on("message", (topic, payload) => seen.push(`${topic} ${payload.toString()}`));
    await watcher.subscribeAsync(`impnet/${partitionOf("doc-dev")}/+/+`, { qos: 1 });

    const r = await cli(["doctor", "--server", mqtt, "--id", "doc-dev", "--json"], { IMPNET_DEVICE_SECRET: secret });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ reasonName: "SERVER_CONNECTED", layers: expect.arrayContaining([{ layer: "session", ok: true, ms: expect.any(Number) as unknown }]) as unknown });
    // A marker through the same broker after doctor is done: whatever doctor had published would have arrived before it.
    await watcher.publishAsync(topicFor("doc-dev", "cmd"), "marker", { qos: 1 });
    for (let i = 0; i < 200 && !seen.some((m) => m.endsWith(" marker")); i++) await sleep(10);
    expect(seen).toEqual([`${topicFor("doc-dev", "cmd")} marker`]);
    await watcher.endAsync();
    expect(await serve.finish()).toBe(0);
  });

  it("device add refuses an id that exists unless --rotate; rotate and remove take effect on a running serve at the next login; list shows no secret", { timeout: 30_000 }, async () => {
    const data = tempDir();
    const bin = (...args: string[]) =>
      new Promise<{ code: number; out: string; err: string }>((resolve) =>
        execFile(process.execPath, [fileURLToPath(new URL("../bin/impnet.js", import.meta.url)), ...args, "--data", data], (error, out, err) => resolve({ code: error === null ? 0 : Number(error.code), out, err })),
      );
    const first = JSON.parse((await bin("device", "add", "rot-dev", "--json")).out) as { secret: string };
    const again = await bin("device", "add", "rot-dev");
    expect(again).toMatchObject({ code: 2, out: "" });
    expect(again.err).toMatch(/"rot-dev" is already registered: impnet device rotate rot-dev gives it a new secret/);

    const serve = startServe(["--port", "0", "--json", "--data", data]);
    const { mqtt } = JSON.parse(await serve.firstLine()) as { mqtt: string };
    const program = path.join(data, "device.mjs");
    writeFileSync(program, "export default function main() {}\n");
    const firstAttempt = async (secret: string) => {
      const r = await cli(["run", program, "--server", mqtt, "--id", "rot-dev", "--json", "--for", "200ms"], { IMPNET_DEVICE_SECRET: secret });
      return JSON.parse(r.out.split("\n")[0]!) as { reasonName: string; detail?: string };
    };
    expect(await firstAttempt(first.secret)).toMatchObject({ reasonName: "SERVER_CONNECTED" });

    const rotated = JSON.parse((await bin("device", "rotate", "rot-dev", "--json")).out) as { secret: string; kind: string };
    expect(rotated.kind).toBe("device");
    expect(await firstAttempt(first.secret)).toMatchObject({ reasonName: "NO_SERVER", detail: expect.stringMatching(/^CONNACK [45]/) as unknown });
    expect(await firstAttempt(rotated.secret)).toMatchObject({ reasonName: "SERVER_CONNECTED" });
    const viaAdd = JSON.parse((await bin("device", "add", "rot-dev", "--rotate", "--json")).out) as { secret: string };
    expect(viaAdd.secret).not.toBe(rotated.secret);

    const listed = await bin("device", "list", "--json");
    expect(listed.out.trimEnd().split("\n").map((l) => JSON.parse(l) as unknown)).toEqual([{ id: "rot-dev", kind: "device", added: expect.any(String) as unknown }]);
    for (const secret of [first.secret, rotated.secret, viaAdd.secret]) expect(listed.out).not.toContain(secret);

    expect(await bin("device", "remove", "rot-dev")).toMatchObject({ code: 0, out: expect.stringMatching(/^device rot-dev removed from .*registry\.json; its secret no longer logs in\n$/) as unknown });
    expect(await firstAttempt(viaAdd.secret)).toMatchObject({ reasonName: "NO_SERVER" });
    expect((await bin("device", "list")).out).toBe("no devices registered (impnet device add ID)\n");
    const missing = await bin("device", "rotate", "rot-dev");
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no device or service user "rot-dev" \(impnet device list shows them\)/);
    expect(await serve.finish()).toBe(0);
  });

  it("the end of a run is not a failure: an attempt it cuts short says the run ended, never that the program called server.disconnect()", async () => {
    const silent = await startSilentServer(); // accepts, never answers: the attempt is still waiting when --for ends
    const program = path.join(tempDir(), "device.mjs");
    writeFileSync(program, "export default function main() {}\n");
    const r = await cli(["run", program, "--server", `mqtt://127.0.0.1:${silent.port}`, "--id", "d", "--json", "--for", "500ms"], { IMPNET_DEVICE_SECRET: "s" });
    expect(r.code).toBe(0);
    const attempts = r.out.trimEnd().split("\n").map((l) => JSON.parse(l) as { type: string; detail?: string }).filter((l) => l.type === "attempt");
    expect(attempts.at(-1)!.detail).toMatch(/cancelled: the run ended/);
    expect(r.out).not.toContain("server.disconnect()");
    await silent.stop();
  });

  it("a proxy user without a password is warned about, once, and the run goes on", async () => {
    const program = path.join(tempDir(), "device.mjs");
    writeFileSync(program, "export default function main() {}\n");
    const r = await cli(["run", program, "--server", "mqtt://127.0.0.1:1", "--id", "d", "--proxy", `http://bob@127.0.0.1:${await freePort()}`, "--json", "--for", "200ms"], { IMPNET_DEVICE_SECRET: "s" });
    expect(r.code).toBe(0);
    expect(r.err).toBe("impnet: warning: --proxy names the user bob but no password was given (IMPNET_PROXY_PASSWORD or --proxy-password-file): the proxy gets an empty one\n");
  });

  it("run --until-connected fails a script that never got online, saying why, and ends at once when it does", { timeout: 30_000 }, async () => {
    const program = path.join(tempDir(), "device.mjs");
    writeFileSync(program, "export default function main() {}\n");
    const never = await cli(["run", program, "--server", "mqtt://127.0.0.1:1", "--id", "d", "--until-connected", "--for", "1500ms"], { IMPNET_DEVICE_SECRET: "s" });
    expect(never.code).toBe(1);
    expect(never.err).toBe("impnet run: never connected; the last attempt: NO_SERVER at tcp (server 127.0.0.1:1: ECONNREFUSED)\n");

    const { secret, serve, mqtt } = await servedDevice("uc-dev");
    // No --for: only the connection can end this run (the test's own limit would catch a hang).
    const online = await cli(["run", program, "--server", mqtt, "--id", "uc-dev", "--json", "--until-connected"], { IMPNET_DEVICE_SECRET: secret });
    expect(online).toMatchObject({ code: 0, err: "" });
    expect(online.out).toContain('"type":"connected"');
    expect(await serve.finish()).toBe(0);
  });

  it("run reports the device's attempts on its diag topic; --no-reports sends nothing there", { timeout: 30_000 }, async () => {
    const data = tempDir();
    const wall = new RealClock();
    const reported: string[] = [];
    const cloud = await EmbeddedCloud.start({ dataDir: data, port: 0, clock: wall, wall, sink: { write: () => {} }, reports: (id, lines) => reported.push(...lines.map((l) => `${id} ${l.type}`)) });
    onCleanup(() => cloud.stop());
    const secret = cloud.registry.addDevice("diag-dev");
    const program = path.join(data, "device.mjs");
    writeFileSync(program, "export default function main() {}\n");
    const run = (...extra: string[]) => cli(["run", program, "--server", cloud.url, "--id", "diag-dev", "--for", "500ms", ...extra], { IMPNET_DEVICE_SECRET: secret });
    expect((await run("--no-reports")).code).toBe(0);
    expect((await run()).code).toBe(0);
    await expect.poll(() => reported, { timeout: 5_000 }).toContain("diag-dev connected");
    // All from the second run: its one attempt and its connect, then the program's boot (an imp connects before it runs the program).
    await expect.poll(() => reported, { timeout: 5_000 }).toContain("diag-dev boot");
    expect(reported).toEqual(["diag-dev attempt", "diag-dev connected", "diag-dev boot"]);
  });

  it("a runaway turn on the real stack is an error line after --turn-limit, and --for still ends the run", async () => {
    const { data, secret, serve, mqtt } = await servedDevice("loop-dev");
    const program = path.join(data, "device.mjs");
    writeFileSync(program, "export default function main({ imp }) { imp.wakeup(0.1, () => { for (;;); }); }\n");
    const run = await cli(["run", program, "--server", mqtt, "--id", "loop-dev", "--json", "--for", "1500ms", "--turn-limit", "300ms"], { IMPNET_DEVICE_SECRET: secret });
    expect(run).toMatchObject({ code: 0, err: "" });
    const lines = run.out.trimEnd().split("\n").map((l) => JSON.parse(l) as { type: string; text?: string });
    expect(lines.filter((l) => l.type === "error").map((l) => l.text)).toEqual(["the program ran for 0.3 s in one turn without returning (an endless loop?); the turn was stopped"]);
    expect(lines.at(-1)).toMatchObject({ type: "disconnected" }); // the run's own end, after the runaway
    expect(await serve.finish()).toBe(0);
  });

  it("Ctrl-C during an endless loop ends the run cleanly once the turn limit stops the turn", { timeout: 30_000 }, async () => {
    const { data, secret, serve, mqtt } = await servedDevice("ctrl-c");
    const marker = path.join(data, "looping");
    const program = path.join(data, "device.mjs");
    writeFileSync(program, `import { writeFileSync } from "node:fs";\nexport default function main({ imp }) { imp.wakeup(0.1, () => { writeFileSync(${JSON.stringify(marker)}, ""); for (;;); }); }\n`);
    const root = fileURLToPath(new URL("..", import.meta.url));
    const child = spawn(process.execPath, [path.join(root, "bin/impnet.js"), "run", program, "--server", mqtt, "--id", "ctrl-c", "--json", "--turn-limit", "1s"], {
      cwd: root,
      env: { ...process.env, IMPNET_DEVICE_SECRET: secret },
    });
    onCleanup(() => void (child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")));
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | string | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
    for (let waited = 0; !existsSync(marker); waited += 20) {
      if (waited >= 20_000) throw new Error(`the program never started its loop; stdout: ${out}`);
      await sleep(20);
    }
    child.kill("SIGINT");
    const clock = new RealClock();
    let guard: ReturnType<RealClock["setTimer"]> | undefined;
    // A guard, not a timing: before, the loop held the process until SIGKILL.
    const result = await Promise.race([exited, new Promise<string>((resolve) => (guard = clock.setTimer(10_000, () => resolve("still running 10 s after SIGINT"))))]);
    if (guard !== undefined) clock.clearTimer(guard);
    expect(result).toBe(0);
    const types = out.trimEnd().split("\n").map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types.slice(-2)).toEqual(["error", "disconnected"]); // the stopped turn, then Ctrl-C's clean end
    expect(await serve.finish()).toBe(0);
  });

  it("run --agent runs the device's agent in-process as a service user, over the broker", async () => {
    const { data, secret, service, serve, mqtt } = await servedDevice("cli-agent", "agents");
    expect(service.kind).toBe("service");
    const program = path.join(data, "device.mjs");
    writeFileSync(program, 'export default function main({ agent, server }) { agent.on("pong", (d) => server.log(`pong ${d}`)); agent.send("ping", 41); }\n');
    const agentFile = path.join(data, "agent.mjs");
    writeFileSync(agentFile, 'export default function agent({ device }) { device.on("ping", (n) => device.send("pong", n + 1)); }\n');
    const run = await cli(["run", program, "--server", mqtt, "--id", "cli-agent", "--agent", agentFile, "--json", "--for", "500ms"], {
      IMPNET_DEVICE_SECRET: secret,
      IMPNET_SERVICE_SECRET: service.secret,
    });
    expect(run.err).toBe("");
    expect(run.out).toContain('"name":"pong","data":42');
    expect(serve.out.text).toContain("pong 42");
    // With an agent host in the run, it prints the device's logs as the cloud got them: the device does not echo them again.
    expect(run.out.split("\n").filter((l) => l.includes('"type":"log"') && l.includes("pong 42")).length).toBeLessThanOrEqual(1);
    expect(await serve.finish()).toBe(0);
  });

  it("S1 S6 run and serve take Squirrel: a .nut device with a #require from --libs, a .nut agent, Squirrel types across MQTT", async () => {
    const { data, secret, service, serve, mqtt } = await servedDevice("cli-nut", "agents");
    const libs = tempDir();
    writeFileSync(path.join(libs, "Greeter.lib.nut@1.0.0"), 'class Greeter { function hello(n) { return "hello " + n; } }\n');
    const program = path.join(data, "device.nut");
    writeFileSync(
      program,
      '#require "Greeter.lib.nut:1.0.0"\nagent.on("pong", function(d) { server.log(Greeter().hello(d.n) + " " + typeof d.f); });\nagent.send("ping", { n = 41, f = 1.0 });\n',
    );
    const agentFile = path.join(data, "agent.nut");
    writeFileSync(agentFile, 'device.on("ping", function(d) { device.send("pong", { n = d.n + 1, f = d.f }); });\n');
    const run = await cli(["run", program, "--server", mqtt, "--id", "cli-nut", "--agent", agentFile, "--libs", libs, "--json", "--for", "500ms"], {
      IMPNET_DEVICE_SECRET: secret,
      IMPNET_SERVICE_SECRET: service.secret,
    });
    expect(run.err).toBe("");
    expect(serve.out.text).toContain("hello 42 float");
    expect(await serve.finish()).toBe(0);
  });

  it("S7 run with a Squirrel program that does not compile: one FILE:LINE:COLUMN line, exit 2, nothing started", async () => {
    const file = path.join(tempDir(), "broken.nut");
    writeFileSync(file, "local x = ;\n");
    const r = await cli(["run", file, "--server", "mqtt://127.0.0.1:1883", "--id", "d"], { IMPNET_DEVICE_SECRET: "s" });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/broken\.nut:1:11: expression expected\n$/);
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
    expect(r.out).toBe("");
  });

  it("T3 impnet test --server runs a session on the real stack: the device over MQTT, its agent partner on the agent host", async () => {
    const { secret, service, serve, mqtt } = await servedDevice("cli-test", "agents");
    const project = tempDir();
    writeFileSync(path.join(project, ".impt.test"), JSON.stringify({ timeout: 10 }));
    writeFileSync(
      path.join(project, "Echo.device.test.nut"),
      'class Echo extends ImpTestCase { function testEcho() { return Promise(function(ok, no) { agent.on("pong", function(n) { if (n == 42) ok(); else no("got " + n); }); agent.send("ping", 41); }); } function testConnected() { assertTrue(server.isconnected()); } }\n',
    );
    writeFileSync(path.join(project, "Echo.agent.nut"), 'device.on("ping", function(n) { device.send("pong", n + 1); });\n');
    const run = await cli(["test", "--config", path.join(project, ".impt.test"), "--server", mqtt, "--id", "cli-test", "--json"], {
      IMPNET_DEVICE_SECRET: secret,
      IMPNET_SERVICE_SECRET: service.secret,
    });
    const lines = run.out.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.type === "test").map((l) => [l.method, l.status])).toEqual([
      ["testConnected", "ok"],
      ["testEcho", "ok"],
    ]);
    expect(run.code).toBe(0);
    expect(await serve.finish()).toBe(0);
  }, 30_000);

  it("impnet test --server --no-reports: the session's device sends no report; without it, it does", { timeout: 30_000 }, async () => {
    const wall = new RealClock();
    const reported: string[] = [];
    const cloud = await EmbeddedCloud.start({ dataDir: tempDir(), port: 0, clock: wall, wall, sink: { write: () => {} }, reports: (id, lines) => reported.push(...lines.map((l) => `${id} ${l.type}`)) });
    onCleanup(() => cloud.stop());
    const secret = cloud.registry.addDevice("quiet-test");
    const project = tempDir();
    writeFileSync(path.join(project, ".impt.test"), JSON.stringify({ timeout: 10 }));
    writeFileSync(path.join(project, "Ok.device.test.nut"), "class Ok extends ImpTestCase { function testOk() { assertTrue(server.isconnected()); } }\n");
    const test = (...extra: string[]) => cli(["test", "--config", path.join(project, ".impt.test"), "--server", cloud.url, "--id", "quiet-test", "--json", ...extra], { IMPNET_DEVICE_SECRET: secret });
    expect((await test("--no-reports")).code).toBe(0);
    expect((await test()).code).toBe(0);
    await expect.poll(() => reported, { timeout: 5_000 }).toContain("quiet-test boot");
    // All from the second session: the first one's would have come before.
    expect(reported).toEqual(["quiet-test attempt", "quiet-test connected", "quiet-test boot"]);
  });

  it("run with a wrong secret prints the failing attempt, NO_SERVER with the CONNACK code", async () => {
    const data = tempDir();
    await cli(["device", "add", "cli-bad", "--data", data]);
    const serve = startServe(["--port", "0", "--json", "--data", data]);
    const { mqtt } = JSON.parse(await serve.firstLine()) as { mqtt: string };
    const program = path.join(data, "device.mjs");
    writeFileSync(program, "export default function main() {}\n");
    const run = await cli(["run", program, "--server", mqtt, "--id", "cli-bad", "--for", "200ms"], { IMPNET_DEVICE_SECRET: "guessed" });
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/attempt .*NO_SERVER/);
    expect(run.out).toContain("CONNACK 4");
    expect(run.out).not.toContain("guessed");
    expect(await serve.finish()).toBe(0);
  });
});

describe("impnet serve stops at once on SIGINT", () => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const clock = new RealClock();

  // A hang test: before, a connection that never sent CONNECT held serve's
  // exit for aedes' 30 s connect timeout (TLS: the 120 s handshake timeout).
  it.each([
    ["plain MQTT", false],
    ["MQTT over TLS", true],
  ])("an idle raw TCP connection (%s) does not hold serve's exit", async (_what, secure) => {
    const dir = tempDir();
    const entry = path.join(dir, "impnet.mjs");
    writeFileSync(entry, `import { main } from ${JSON.stringify(pathToFileURL(path.join(root, "src/cli/main.ts")).href)};\nprocess.exitCode = await main(process.argv);\n`);
    const certs = secure ? makeCertificates(dir) : undefined;
    const tlsArgs = certs === undefined ? [] : ["--tls-cert", certs.certFile, "--tls-key", certs.keyFile];
    const child = spawn(process.execPath, ["--import", "tsx", entry, "serve", "--port", "0", "--json", "--data", dir, ...tlsArgs], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    onCleanup(() => void (child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")));
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | string | null>((resolve) => {
      child.once("exit", (code, signal) => resolve(code ?? signal));
      child.once("error", (e) => resolve(e.message));
    });
    let gone = false;
    void exited.then(() => (gone = true));
    for (let waited = 0; !out.includes("\n"); waited += 20) {
      if (gone || waited >= 20_000) throw new Error(`impnet serve did not start (${gone ? "it exited" : "no output"}); stderr: ${JSON.stringify(err)}`);
      await sleep(20);
    }
    const { mqtt } = JSON.parse(out.split("\n")[0]!) as { mqtt: string };

    const idle = net.connect(Number(new URL(mqtt).port), "127.0.0.1");
    idle.on("error", () => {});
    onCleanup(() => void idle.destroy());
    await new Promise<void>((resolve) => idle.once("connect", () => resolve()));
    await sleep(100); // accepted by serve's server by now

    child.kill("SIGINT");
    let guard: ReturnType<RealClock["setTimer"]> | undefined;
    const result = await Promise.race([exited, new Promise<string>((resolve) => (guard = clock.setTimer(10_000, () => resolve("still running 10 s after SIGINT"))))]);
    if (guard !== undefined) clock.clearTimer(guard);
    idle.destroy();
    // The bug held the exit for aedes' 30 s connect timeout (120 s with TLS): a
    // 10 s guard tells a hang from a slow machine without timing anything finer.
    expect(result, `stderr: ${err}`).toBe(0);
  }, 40_000);
});

describe("bad input: one clear line, a non-zero exit, nothing started", () => {
  const program = () => {
    const file = path.join(tempDir(), "device.mjs");
    writeFileSync(file, "export default function main() {}\n");
    return file;
  };

  it.each([
    ["a bad server URL", ["--server", "http://127.0.0.1:1883", "--id", "d"], /--server: expected mqtt:\/\/host:port/],
    ["a server URL that is no URL", ["--server", "not a url", "--id", "d"], /--server: not a valid URL/],
    ["a port out of range", ["--server", "mqtt://127.0.0.1:99999", "--id", "d"], /^impnet: --server: port 99999 is out of range \(1-65535\)$/m],
    ["a release impnet does not know", ["--server", "mqtt://127.0.0.1:1883", "--id", "d", "--release", "abc"], /^impnet: --release: not a release impnet knows \(abc\): one of 28, 30, 34, 36, 38, 40, 42$/m],
    ["a CA file without a certificate", ["--server", "mqtts://127.0.0.1:8883", "--id", "d", "--ca", fileURLToPath(import.meta.url)], /--ca: .*cli-real\.test\.ts holds no PEM certificate/],
    ["a proxy string with a password", ["--server", "mqtt://127.0.0.1:1883", "--id", "d", "--proxy", "http://u:hunter2@127.0.0.1:8888"], /--proxy: the password must not be on the command line/],
    ["a proxy string without a port", ["--server", "mqtt://127.0.0.1:1883", "--id", "d", "--proxy", "http://127.0.0.1"], /--proxy: the proxy URL needs a port/],
    ["a missing CA certificate", ["--server", "mqtts://127.0.0.1:8883", "--id", "d", "--ca", "/nonexistent/ca.pem"], /--ca: certificate \/nonexistent\/ca.pem: no such file/],
    ["a bad device id", ["--server", "mqtt://127.0.0.1:1883", "--id", "a/b"], /^impnet: --id: not a device id: it contains "\/" \(an id is 1-64 of/],
    ["a secret pasted as the id (not a valid id: never echoed)", ["--server", "mqtt://127.0.0.1:1883", "--id", "hunter2+secret/base64=="], /--id: not a device id: it contains "\+", "\/", "=" \(/],
    ["the device's own secret as the id", ["--server", "mqtt://127.0.0.1:1883", "--id", "hunter2-valid-as-an-id"], /--id: that is the device's secret, not its id/],
  ])("run with %s", async (_what, args, message) => {
    const r = await cli(["run", program(), ...args], { IMPNET_DEVICE_SECRET: "hunter2-valid-as-an-id" });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
    expect(r.err).not.toContain("hunter2");
    expect(r.out).toBe("");
  });

  it.each([
    ["a bad server URL", ["--server", "http://127.0.0.1:1883"], /--server: expected mqtt:\/\/host:port/],
    ["two interfaces", ["--server", "mqtt://127.0.0.1:1883", "--interface", "eth0=lo", "--interface", "wl0=lo"], /--interface: doctor walks one interface/],
    ["an interface map it cannot read", ["--server", "mqtt://127.0.0.1:1883", "--interface", "eth1=lo"], /--interface: expected eth0=IF/],
    ["--id without a secret", ["--server", "mqtt://127.0.0.1:1883", "--id", "d"], /no device secret: set IMPNET_DEVICE_SECRET/],
    ["a bad timeout", ["--server", "mqtt://127.0.0.1:1883", "--timeout", "soon"], /--timeout.*expected a duration/],
  ])("doctor with %s: exit 2, one line, nothing tried", async (_what, args, message) => {
    const r = await cli(["doctor", ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
    expect(r.out).toBe("");
  });

  it("a data folder that cannot be made (--data /proc/foo): one line at once, exit 2, for device add and serve alike", async () => {
    for (const args of [["device", "add", "x"], ["serve", "--port", "0"]]) {
      const r = await cli([...args, "--data", "/proc/impnet-test/data"]);
      expect(r).toMatchObject({ code: 2, out: "", err: "impnet: /proc/impnet-test/data/registry.json: cannot create its folder (ENOENT)\n" });
    }
  });

  it("run with a program that is missing or a directory: one line naming the path, no module-loader internals", async () => {
    const dir = tempDir();
    for (const [file, why] of [[path.join(dir, "missing.mjs"), "file not found"], [dir, "is a directory, not a program file"], [path.join(dir, "missing.nut"), "file not found"]] as const) {
      const r = await cli(["run", file, "--server", "mqtt://127.0.0.1:1883", "--id", "d"], { IMPNET_DEVICE_SECRET: "s" });
      expect(r).toMatchObject({ code: 2, out: "" });
      expect(r.err).toBe(`impnet: ${file}: ${why}\n`);
    }
  });

  it("run without a secret says where secrets come from", async () => {
    const r = await cli(["run", program(), "--server", "mqtt://127.0.0.1:1883", "--id", "d"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("impnet: no device secret: set IMPNET_DEVICE_SECRET or use --secret-file FILE (never on the command line)\n");
  });

  it("serve with a bad port, a broken registry, a missing certificate, a port in use", async () => {
    const bad = await cli(["serve", "--port", "70000"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--port.*expected a port number/);

    const data = tempDir();
    writeFileSync(path.join(data, "registry.json"), "{ not json");
    const broken = await cli(["serve", "--port", "0", "--data", data]);
    expect(broken).toMatchObject({ code: 2, out: "" });
    expect(broken.err).toMatch(/registry.json: not JSON\n$/);

    const nocert = await cli(["serve", "--port", "0", "--data", tempDir(), "--tls-cert", "/nonexistent/c.pem", "--tls-key", "/nonexistent/k.pem"]);
    expect(nocert).toMatchObject({ code: 2, out: "" });
    expect(nocert.err).toBe("impnet: certificate /nonexistent/c.pem: no such file\n");

    const port = await freePort();
    const first = startServe(["--port", String(port), "--data", tempDir()]);
    await first.firstLine();
    const taken = await cli(["serve", "--port", String(port), "--data", tempDir()]);
    expect(taken).toMatchObject({ code: 2, out: "" });
    expect(taken.err).toMatch(/cannot listen on 127.0.0.1:\d+ \(EADDRINUSE\)/);
    expect(await first.finish()).toBe(0);
  });

  it("twenty `impnet device add`s at once, as separate processes: every device is registered and its secret works", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const bin = fileURLToPath(new URL("../bin/impnet.js", import.meta.url));
    const add = (id: string) =>
      new Promise<{ id: string; secret: string }>((resolve, reject) => {
        execFile(process.execPath, [bin, "device", "add", id, "--data", dir, "--json"], (error, stdout, stderr) => (error === null ? resolve(JSON.parse(stdout) as { id: string; secret: string }) : reject(new Error(stderr))));
      });
    const added = await Promise.all(Array.from({ length: 20 }, (_, i) => add(`par-${i}`)));
    const registry = DeviceRegistry.open(path.join(dir, "registry.json"), { create: false });
    expect(registry.deviceIds.sort()).toEqual(added.map((a) => a.id).sort());
    for (const a of added) expect(registry.verify(a.id, a.secret), a.id).toEqual({ kind: "device", id: a.id });
    expect(readdirSync(dir).sort()).toEqual(["registry.json"]); // no lock or temp file left behind
  });

  it("a device named agent-host does not stop serve from starting (the embedded agent host's name is one no device can have)", async () => {
    const data = tempDir();
    expect((await cli(["device", "add", "agent-host", "--data", data])).code).toBe(0);
    const serve = startServe(["--port", "0", "--data", data]);
    await serve.firstLine();
    expect(await serve.finish()).toBe(0);
  });

  it("device add refuses a bad id", async () => {
    const r = await cli(["device", "add", "no/slashes", "--data", tempDir()]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad device id/);
  });
});
