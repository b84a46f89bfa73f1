import { Regexp } from "../regexp.js";
import type { RegexpMatch } from "../regexp.js";
import { SqTable } from "../table.js";
import { SqClass, SqError, SqInstance } from "../values.js";
import type { SqFloat, SqValue } from "../values.js";
import { toInteger } from "../runtime/ops.js";
import { native } from "./native.js";

/** Squirrel's regexp class (S4): `regexp(pattern)`, `match`, `search`, `capture`, `subexpcount`, and `typeof r == "regexp"`. */
const engine = (self: SqValue): Regexp => {
  if (!(self instanceof SqInstance) || !(self.native instanceof Regexp)) throw new SqError("the object is not a regexp");
  return self.native;
};
const start = (v: SqValue | undefined): number => (v === undefined || v === null ? 0 : toInteger(v as number | SqFloat));

function span(m: RegexpMatch): SqTable {
  const t = new SqTable(2);
  t.newSlot("begin", m.begin);
  t.newSlot("end", m.end);
  return t;
}

export const regexpClass = new SqClass(new SqTable());
regexpClass.nativeType = "regexp";

const methods = [
  native("constructor", 2, ". s", (self, [pattern]) => {
    (self as SqInstance).native = new Regexp(pattern as string);
    return null;
  }),
  native("match", 2, ". s", (self, [s]) => engine(self).match(s as string)),
  native("search", -2, ". s n", (self, [s, from]) => {
    const m = engine(self).search(s as string, start(from));
    return m === null ? null : span(m);
  }),
  native("capture", -2, ". s n", (self, [s, from]) => {
    const ms = engine(self).capture(s as string, start(from));
    return ms === null ? null : ms.map(span);
  }),
  native("subexpcount", 1, null, (self) => engine(self).subexpcount()),
  // sqstdlib's regexp class declares _typeof, so `typeof regexp("a")` is "regexp", not "instance".
  native("_typeof", 1, null, () => "regexp"),
];
for (const m of methods) {
  if (m.name.startsWith("_")) regexpClass.metamethods.set(m.name, m);
  else regexpClass.members.newSlot(m.name, m);
}
