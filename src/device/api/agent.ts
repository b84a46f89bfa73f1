import type { Device } from "../device.js";
import { messageBytes, messageCopy } from "../../wire/message.js";
import { checkFunction, checkString } from "./check.js";

export interface AgentApi {
  send: (name: string, data?: unknown) => number | Promise<number>;
  on: (name: string, handler: ((data: unknown) => unknown) | null) => void;
}

/** The device side of agent messaging (R33). */
export function buildAgent(device: Device): AgentApi {
  return {
    send(name: unknown, data?: unknown) {
      device.live("agent.send");
      checkString("agent.send", "name", name);
      const bytes = messageBytes("agent.send", data);
      return device.sends.send({ kind: "message", name, data: messageCopy(data), bytes });
    },
    on(name: unknown, handler: unknown) {
      device.live("agent.on");
      checkString("agent.on", "name", name);
      if (handler === null) {
        device.agentHandlers?.delete(name);
        return;
      }
      checkFunction("agent.on", "handler", handler);
      (device.agentHandlers ??= new Map()).set(name, handler);
    },
  };
}
