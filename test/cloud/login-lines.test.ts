import { connectAsync } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import type { TimelineEvent } from "../../src/timeline/events.js";
import { serviceClientId } from "../../src/wire/topics.js";
import { sleep } from "../host/real-parts.js";
import { startCloud } from "../host/support-cloud.js";

type Login = Extract<TimelineEvent, { type: "online" | "offline" | "refused" }>;
type WithoutT<T> = T extends unknown ? Omit<T, "t"> : never;

/** The cloud's login lines from the `from`th line on, without `t`. */
function logins(sink: ArraySink, from: number): WithoutT<Login>[] {
  return sink.events
    .slice(from)
    .filter((e): e is Login => e.type === "online" || e.type === "offline" || e.type === "refused")
    .map(({ t: _t, ...rest }) => rest);
}

async function until(sink: ArraySink, from: number, count: number): Promise<void> {
  for (let i = 0; i < 400 && logins(sink, from).length < count; i++) await sleep(5);
}

describe("the cloud's login lines (impnet serve)", () => {
  const sink = new ArraySink();
  let cloud: EmbeddedCloud;
  let url: string;
  beforeAll(async () => {
    cloud = await startCloud({ logins: true, idleTimeoutMs: 100, agentFor: () => () => {} }, sink);
    url = `mqtt://127.0.0.1:${cloud.port}`;
  });
  afterAll(() => cloud.stop());

  const connect = (clientId: string, username: string | undefined, password: string | undefined) =>
    connectAsync(url, { clientId, ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }), reconnectPeriod: 0, keepalive: 0 });

  it("a device that logs in and leaves cleanly, and one the broker drops: online from its address, offline with why", async () => {
    const from = sink.events.length;
    const secret = cloud.registry.addDevice("ll-dev");
    const client = await connect("ll-dev", "ll-dev", secret);
    await client.endAsync();
    await until(sink, from, 2);
    const silent = await connect("ll-dev", "ll-dev", secret);
    silent.on("error", () => {});
    await until(sink, from, 4); // the idle sweep drops it
    silent.end(true);
    expect(logins(sink, from)).toEqual([
      { device: "ll-dev", type: "online", kind: "device", from: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as unknown },
      { device: "ll-dev", type: "offline", kind: "device", why: "disconnected" },
      { device: "ll-dev", type: "online", kind: "device", from: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as unknown },
      { device: "ll-dev", type: "offline", kind: "device", why: "connection closed" },
    ]);
  });

  it("a service user is named as a service; the cloud's own agent host never shows", async () => {
    const from = sink.events.length;
    const secret = cloud.registry.addService("ll-agents");
    const client = await connect(serviceClientId("ll-agents", "a"), "ll-agents", secret);
    await client.endAsync();
    await until(sink, from, 2);
    expect(logins(sink, from)).toEqual([
      { device: "ll-agents", type: "online", kind: "service", from: expect.any(String) as unknown },
      { device: "ll-agents", type: "offline", kind: "service", why: "disconnected" },
    ]);
  });

  it("refused logins say why, under the id claimed when it is one, and never carry the secret", async () => {
    const from = sink.events.length;
    const secret = cloud.registry.addDevice("ll-known");
    const tries: [string, string | undefined, string | undefined][] = [
      ["ll-known", "ll-known", "guessed-secret-1"],
      ["ghost", "ghost", "guessed-secret-2"],
      ["anon", undefined, undefined],
      ["not the same", "ll-known", secret],
      ["x", "bad id\u001b[31m", "guessed-secret-3"],
    ];
    for (const [clientId, username, password] of tries) await expect(connect(clientId, username, password)).rejects.toThrow();
    await until(sink, from, tries.length);
    expect(logins(sink, from).map((l) => [l.device, l.type === "online" ? "" : l.why])).toEqual([
      ["ll-known", "wrong secret"],
      ["ghost", "unknown id"],
      ["world", "no credentials"],
      ["ll-known", 'client id "not the same" does not match the user'],
      ["world", 'unknown id ("bad id\\u001b[31m" is not a device id)'],
    ]);
    const text = JSON.stringify(sink.events);
    for (const s of [secret, "guessed-secret"]) expect(text).not.toContain(s);
  });
});
