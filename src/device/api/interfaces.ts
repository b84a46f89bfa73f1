import { DEFAULT_SEQUENCE, INTERFACE_IDS, INTERFACE_TYPES } from "../../constants.js";
import type { InterfaceId, InterfaceType } from "../../constants.js";
import { InvalidArgumentError } from "../../errors.js";

/** Maps an interface id as programs give it (R17: generic or specific) to the interface type. */
export function interfaceType(api: string, argument: string, id: unknown, has: readonly InterfaceType[]): InterfaceType {
  const type = typeof id === "string" ? (id in INTERFACE_TYPES ? INTERFACE_TYPES[id as InterfaceId] : (DEFAULT_SEQUENCE as readonly string[]).includes(id) ? (id as InterfaceType) : undefined) : undefined;
  if (type === undefined || !has.includes(type)) {
    const known = has.flatMap((t) => [`"${t}"`, `"${INTERFACE_IDS[t]}"`]).join(", ");
    throw new InvalidArgumentError(api, argument, `an interface this device has (${known})`, id);
  }
  return type;
}
