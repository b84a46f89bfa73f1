import { SqTable } from "../table.js";
import { SqClass, SqInstance } from "../values.js";
import type { SqValue } from "../values.js";

/**
 * The imp's blob as a Squirrel class: instances keep their bytes in `native`.
 * (Methods are bound in blob-methods.ts from the byte engine in ../blob.ts.)
 */
export const blobClass = new SqClass(new SqTable());
blobClass.nativeType = "blob";

export interface BlobState {
  bytes: Uint8Array;
  length: number;
  pos: number;
}

export function isBlob(v: SqValue): v is SqInstance {
  return v instanceof SqInstance && v.cls.nativeType === "blob";
}

export function newBlob(bytes: Uint8Array): SqInstance {
  const inst = new SqInstance(blobClass);
  inst.native = { bytes: Uint8Array.from(bytes), length: bytes.length, pos: 0 } satisfies BlobState;
  return inst;
}

export function blobBytes(v: SqInstance): Uint8Array {
  const s = v.native as BlobState;
  return s.bytes.slice(0, s.length);
}
