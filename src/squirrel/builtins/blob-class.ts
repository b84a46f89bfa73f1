import { BlobData } from "../blob.js";
import { SqTable } from "../table.js";
import { SqClass, SqError, SqInstance } from "../values.js";
import type { SqValue , SqFloat} from "../values.js";
import { toInteger } from "../runtime/ops.js";
import { native } from "./native.js";

/**
 * The imp's blob as a Squirrel class (S4): `blob(n)`, its methods from the
 * byte engine in ../blob.ts, bytes by index (`b[i]`), foreach over its bytes,
 * and `typeof b == "blob"`.
 */
const data = (self: SqValue): BlobData => {
  if (!(self instanceof SqInstance) || !(self.native instanceof BlobData)) throw new SqError("the object is not a blob");
  return self.native;
};
const int = (v: SqValue | undefined): number => (v === undefined || v === null ? 0 : toInteger(v as number | SqFloat));

export const blobClass = new SqClass(new SqTable());
blobClass.nativeType = "blob";

function wrap(d: BlobData): SqInstance {
  const inst = new SqInstance(blobClass);
  inst.native = d;
  return inst;
}

const methods = [
  native("constructor", -1, ". n", (self, [n]) => {
    (self as SqInstance).native = new BlobData(int(n));
    return null;
  }),
  native("len", 1, null, (self) => data(self).len()),
  native("tell", 1, null, (self) => data(self).tell()),
  native("eos", 1, null, (self) => data(self).eos()),
  native("flush", 1, null, (self) => data(self).flush()),
  native("seek", -2, ". n n", (self, [off, origin]) => data(self).seek(int(off), origin === undefined ? undefined : int(origin))),
  native("resize", 2, ". n", (self, [n]) => {
    data(self).resize(int(n));
    return null;
  }),
  native("readn", 2, ". n", (self, [t]) => data(self).readn(int(t))),
  native("writen", 3, ". . n", (self, [v, t]) => {
    data(self).writen(v!, int(t));
    return null;
  }),
  native("readstring", 2, ". n", (self, [n]) => data(self).readstring(int(n))),
  native("writestring", 2, ". s", (self, [s]) => {
    data(self).writestring(s as string);
    return null;
  }),
  native("readblob", 2, ". n", (self, [n]) => wrap(data(self).readblob(int(n)))),
  native("writeblob", 2, ". x", (self, [b]) => {
    data(self).writeblob(data(b!));
    return null;
  }),
  native("tostring", 1, null, (self) => data(self).tostring()),
  native("swap2", 1, null, (self) => {
    data(self).swap2();
    return null;
  }),
  native("swap4", 1, null, (self) => {
    data(self).swap4();
    return null;
  }),
  native("_typeof", 1, null, () => "blob"),
  // b[i]: a missing non-integer key is "not found" (throw null), so the instance's own methods still resolve.
  native("_get", 2, null, (self, [k]) => {
    if (typeof k !== "number") throw new SqError(null);
    return data(self).get(k);
  }),
  native("_set", 3, null, (self, [k, v]) => {
    if (typeof k !== "number") throw new SqError(null);
    data(self).set(k, int(v));
    return v!;
  }),
  native("_nexti", 2, null, (self, [prev]) => data(self).nexti(prev === null || prev === undefined ? null : int(prev))),
];
for (const m of methods) {
  if (m.name.startsWith("_")) blobClass.metamethods.set(m.name, m);
  else blobClass.members.newSlot(m.name, m);
}

export function isBlob(v: SqValue): v is SqInstance {
  return v instanceof SqInstance && v.native instanceof BlobData;
}

export function newBlob(bytes: Uint8Array): SqInstance {
  return wrap(BlobData.from(bytes));
}

export function blobBytes(v: SqInstance): Uint8Array {
  return (v.native as BlobData).view().slice();
}
