/**
 * Objects' "addresses" (table hashing of object keys, `(table : 0x…)` text).
 * The imp uses real addresses; impnet numbers objects in the order a VM first
 * needs their number, per VM, so every run prints and iterates the same.
 * The VM makes its own Identity current while it runs (one thread: no overlap).
 */
export class Identity {
  /** Made on first use: most VMs of a fleet never need an object's number. */
  private ids: WeakMap<object, number> | null = null;
  private next = 1;

  of(o: object): number {
    const ids = (this.ids ??= new WeakMap());
    let id = ids.get(o);
    if (id === undefined) {
      id = this.next++;
      ids.set(o, id);
    }
    return id;
  }
}

let current = new Identity();

export function objectId(o: object): number {
  return current.of(o);
}

/** Makes `identity` the numbering in force; returns the one it replaced. */
export function useIdentity(identity: Identity): Identity {
  const before = current;
  current = identity;
  return before;
}
