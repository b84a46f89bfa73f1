import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { freePort, sleep, tempDir } from "./host/real-parts.js";

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

describe("impnet serve, device add, run", () => {
  it("serve --json prints the MQTT URL and the registry; device add prints a secret once; run connects and its logs reach the cloud", async () => {
    const data = tempDir();
    const added = await cli(["device", "add", "cli-dev", "--data", data, "--json"]);
    expect(added.code).toBe(0);
    const { secret } = JSON.parse(added.out) as { secret: string };
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(path.join(data, "registry.json"), "utf8")).not.toContain(secret);

    const stop = new AbortController();
    const serve = io({}, stop.signal);
    const serving = main(["node", "impnet", "serve", "--port", "0", "--json", "--data", data], serve.io);
    while (!serve.out.text.includes("\n")) await sleep(10);
    const first = JSON.parse(serve.out.text.split("\n")[0]!) as { mqtt: string; registry: string };
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
    expect(run.out).not.toContain(secret);

    for (let i = 0; i < 100 && !serve.out.text.includes("hello from the real stack"); i++) await sleep(10);
    expect(serve.out.text).toContain("hello from the real stack");
    stop.abort();
    expect(await serving).toBe(0);
    expect(readFileSync(path.join(data, "server-log.jsonl"), "utf8")).toContain("hello from the real stack");
  });

  it("run --agent runs the device's agent in-process as a service user, over the broker", async () => {
    const data = tempDir();
    const { secret } = JSON.parse((await cli(["device", "add", "cli-agent", "--data", data, "--json"])).out) as { secret: string };
    const service = JSON.parse((await cli(["device", "add", "agents", "--service", "--data", data, "--json"])).out) as { secret: string; kind: string };
    expect(service.kind).toBe("service");
    const stop = new AbortController();
    const serve = io({}, stop.signal);
    const serving = main(["node", "impnet", "serve", "--port", "0", "--json", "--data", data], serve.io);
    while (!serve.out.text.includes("\n")) await sleep(10);
    const { mqtt } = JSON.parse(serve.out.text.split("\n")[0]!) as { mqtt: string };
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
    stop.abort();
    await serving;
  });

  it("run with a wrong secret prints the failing attempt, NO_SERVER with the CONNACK code", async () => {
    const data = tempDir();
    await cli(["device", "add", "cli-bad", "--data", data]);
    const stop = new AbortController();
    const serve = io({}, stop.signal);
    const serving = main(["node", "impnet", "serve", "--port", "0", "--json", "--data", data], serve.io);
    while (!serve.out.text.includes("\n")) await sleep(10);
    const { mqtt } = JSON.parse(serve.out.text.split("\n")[0]!) as { mqtt: string };
    const program = path.join(data, "device.mjs");
    writeFileSync(program, "export default function main() {}\n");
    const run = await cli(["run", program, "--server", mqtt, "--id", "cli-bad", "--for", "200ms"], { IMPNET_DEVICE_SECRET: "guessed" });
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/attempt .*NO_SERVER/);
    expect(run.out).toContain("CONNACK 4");
    expect(run.out).not.toContain("guessed");
    stop.abort();
    await serving;
  });
});

describe("bad input: one clear line, a non-zero exit, nothing started", () => {
  const program = () => {
    const file = path.join(tempDir(), "device.mjs");
    writeFileSync(file, "export default function main() {}\n");
    return file;
  };
  const env = { IMPNET_DEVICE_SECRET: "s" };

  it.each([
    ["a bad server URL", ["--server", "http://127.0.0.1:1883", "--id", "d"], /--server: expected mqtt:\/\/host:port/],
    ["a server URL that is no URL", ["--server", "not a url", "--id", "d"], /--server: not a valid URL/],
    ["a bad port", ["--server", "mqtt://127.0.0.1:99999", "--id", "d"], /--server: (not a valid URL|expected a port)/],
    ["a proxy string with a password", ["--server", "mqtt://127.0.0.1:1883", "--id", "d", "--proxy", "http://u:hunter2@127.0.0.1:8888"], /--proxy: the password must not be on the command line/],
    ["a proxy string without a port", ["--server", "mqtt://127.0.0.1:1883", "--id", "d", "--proxy", "http://127.0.0.1"], /--proxy: the proxy URL needs a port/],
    ["a missing CA certificate", ["--server", "mqtts://127.0.0.1:8883", "--id", "d", "--ca", "/nonexistent/ca.pem"], /--ca: certificate \/nonexistent\/ca.pem: no such file/],
    ["a bad device id", ["--server", "mqtt://127.0.0.1:1883", "--id", "a/b"], /--id: "a\/b" is not a device id/],
  ])("run with %s", async (_what, args, message) => {
    const r = await cli(["run", program(), ...args], env);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
    expect(r.err).not.toContain("hunter2");
    expect(r.out).toBe("");
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
    const stop = new AbortController();
    const first = io({}, stop.signal);
    const serving = main(["node", "impnet", "serve", "--port", String(port), "--data", tempDir()], first.io);
    while (!first.out.text.includes("\n")) await sleep(10);
    const taken = await cli(["serve", "--port", String(port), "--data", tempDir()]);
    expect(taken).toMatchObject({ code: 2, out: "" });
    expect(taken.err).toMatch(/cannot listen on 127.0.0.1:\d+ \(EADDRINUSE\)/);
    stop.abort();
    await serving;
  });

  it("device add refuses a bad id", async () => {
    const r = await cli(["device", "add", "no/slashes", "--data", tempDir()]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad device id/);
  });
});
