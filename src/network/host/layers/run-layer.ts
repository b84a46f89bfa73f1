import type { LayerName } from "../../layers.js";
import type { HostAttempt, LayerEnv, Step } from "../attempt.js";
import { addressLayer } from "./address-layer.js";
import { dnsLayer } from "./dns-layer.js";
import { linkLayer } from "./link-layer.js";
import { modemLayer, registrationLayer, simLayer } from "./modem-layers.js";
import { proxyLayer } from "./proxy-layer.js";
import { sessionLayer } from "./session-layer.js";
import { tcpLayer } from "./tcp-layer.js";
import { tlsLayer } from "./tls-layer.js";
import { wifiLayer } from "./wifi-layer.js";

/** One layer of an attempt on the host stack (R10's table, read from the host). */
export function runLayer(env: LayerEnv, layer: LayerName, a: HostAttempt): Step | Promise<Step> {
  switch (layer) {
    case "wps":
      return { ok: false, detail: "WPS is not available on the host stack" };
    case "wifi":
      return wifiLayer(env, a);
    case "link":
    case "ppp":
      return linkLayer(env, a.spec.iface, a.ctx);
    case "modem":
      return modemLayer(env, a);
    case "sim":
      return simLayer(a);
    case "registration":
      return registrationLayer(env, a);
    case "ip":
    case "internet":
      return addressLayer(env, a);
    case "dns":
      return dnsLayer(env, a);
    case "proxy":
      return proxyLayer(env, a);
    case "tcp":
      return tcpLayer(env, a);
    case "tls":
      return tlsLayer(env, a);
    case "session":
      return sessionLayer(env, a);
  }
}
