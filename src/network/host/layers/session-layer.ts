import type { HostAttempt, LayerEnv, Step } from "../attempt.js";
import { deviceClient, waitForConnack } from "../device-client.js";

/** The MQTT session (from release 40, R14): CONNECT with the device's credentials, connected at the CONNACK. */
export async function sessionLayer(env: LayerEnv, a: HostAttempt): Promise<Step> {
  const client = deviceClient(a.ctx.stream!, env.device.id, env.options.secret, env.keepaliveS);
  a.ctx.client = client;
  client.on("error", () => {}); // reported through waitForConnack and the session's close
  const r = await waitForConnack(client);
  return r.ok ? { ok: true } : { ok: false, detail: r.detail };
}
