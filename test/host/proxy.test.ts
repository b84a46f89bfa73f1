import path from "node:path";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as C from "../../src/constants.js";
import type { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import { attempt, makeLink } from "./harness.js";
import type { Running } from "./real-parts.js";
import { freePort, onCleanup, startDns, startTinyproxy, stopAll, tempDir } from "./real-parts.js";
import { startCloud } from "./support-cloud.js";

const USER = "alice";
const PASSWORD = "tiny-proxy-pa55";

describe("host stack through a real tinyproxy with BasicAuth (R11)", () => {
  let cloud: EmbeddedCloud;
  let proxy: Running;
  let dns: Running;
  let secret: string;
  beforeAll(async () => {
    // Each part is registered for cleanup as it starts (tinyproxy and the DNS
    // server by real-parts itself), so a failure part-way stops what did start.
    const c = await startCloud();
    cloud = c;
    onCleanup(() => c.stop());
    secret = cloud.registry.addDevice("dev-proxied");
    proxy = await startTinyproxy(USER, PASSWORD);
    dns = await startDns({});
  });
  // Stops whatever started, newest first, and removes the temp dirs.
  afterAll(() => stopAll());
  const link = (p: { host?: string; port?: number; user?: string; password?: string }, extra = {}) =>
    makeLink({
      id: "dev-proxied",
      secret,
      server: { host: "127.0.0.1", port: cloud.port, tls: false },
      proxy: { host: p.host ?? "127.0.0.1", port: p.port ?? proxy.port, ...(p.user === undefined ? {} : { user: p.user }), ...(p.password === undefined ? {} : { password: p.password }) },
      extra,
    });

  it("good credentials connect through the tunnel impnet opened", async () => {
    const parts = link({ user: USER, password: PASSWORD });
    const outcome = await attempt(parts);
    expect(outcome).toMatchObject({ ok: true, reason: C.SERVER_CONNECTED });
    expect(outcome.layers.map((l) => l.layer)).toEqual(["link", "ip", "dns", "proxy", "tcp", "session"]);
    parts.link.closeSession();
  });

  it("a wrong password: tinyproxy answers 401 → NOT_AUTHORISED, the status in the detail", async () => {
    const outcome = await attempt(link({ user: USER, password: "wrong" }));
    expect(outcome).toMatchObject({ ok: false, reason: C.NOT_AUTHORISED, layer: "proxy" });
    expect(outcome.detail).toMatch(/^proxy answered HTTP 401 .*: the proxy refused the credentials$/);
  });

  it("R11 a proxy whose rules deny this client: tinyproxy answers 403 → NOT_AUTHORISED, the detail saying it was not the credentials", async () => {
    const strict = await startTinyproxy(USER, PASSWORD, ["Allow 10.255.255.254"]);
    const outcome = await attempt(link({ port: strict.port, user: USER, password: PASSWORD }));
    expect(outcome).toMatchObject({ ok: false, reason: C.NOT_AUTHORISED, layer: "proxy" });
    expect(outcome.detail).toMatch(/^proxy answered HTTP 403 .*: access denied by the proxy's own rules, not the credentials$/);
    await strict.stop();
  });

  it("missing credentials: tinyproxy answers 407 → NOT_AUTHORISED", async () => {
    const outcome = await attempt(link({}));
    expect(outcome).toMatchObject({ ok: false, reason: C.NOT_AUTHORISED, layer: "proxy" });
    expect(outcome.detail).toMatch(/^proxy answered HTTP 407/);
  });

  it("the proxy's port closed → NO_PROXY with the errno", async () => {
    const outcome = await attempt(link({ port: await freePort(), user: USER, password: PASSWORD }));
    expect(outcome).toMatchObject({ ok: false, reason: C.NO_PROXY, layer: "proxy" });
    expect(outcome.detail).toContain("ECONNREFUSED");
  });

  it("the proxy's host does not resolve → NOT_RESOLVED (the proxy's name is the one resolved)", async () => {
    const hostsFile = path.join(tempDir(), "hosts");
    writeFileSync(hostsFile, "");
    const outcome = await attempt(link({ host: "proxy.invalid", user: USER, password: PASSWORD }, { dns: { servers: [`127.0.0.1:${dns.port}`], hostsFile } }));
    expect(outcome).toMatchObject({ ok: false, reason: C.NOT_RESOLVED, layer: "dns", detail: "proxy.invalid: NXDOMAIN" });
  });

  it("the server behind the proxy unreachable → NO_SERVER with the proxy's 5xx status", async () => {
    const parts = makeLink({
      id: "dev-proxied",
      secret,
      server: { host: "127.0.0.1", port: await freePort(), tls: false },
      proxy: { host: "127.0.0.1", port: proxy.port, user: USER, password: PASSWORD },
    });
    const outcome = await attempt(parts);
    expect(outcome).toMatchObject({ ok: false, reason: C.NO_SERVER, layer: "tcp" });
    expect(outcome.detail).toMatch(/^proxy answered HTTP 5\d\d/);
  });

  it("the password appears in no outcome", async () => {
    const outcomes = [await attempt(link({ user: USER, password: PASSWORD })), await attempt(link({ user: USER, password: "wrong" }))];
    expect(JSON.stringify(outcomes)).not.toContain(PASSWORD);
  });
});
