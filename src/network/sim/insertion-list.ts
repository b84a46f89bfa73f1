/** What an InsertionList member carries: its stamp in the one list it can be in, 0 when out of it. */
export interface Listed {
  listedAs: number;
}

/**
 * A set that keeps its members in the order they were added, as a Set does,
 * without a hash table: each member carries its own stamp. A fleet moves
 * every device in and out of its set of attempting links at every attempt,
 * and a Set's table, resized as it filled and emptied, was a steady stream
 * of large allocations. Removal only clears the stamp; the dead entries are
 * compacted away once they are half of the list. The arrays never shrink
 * (a fleet fills them again at its next attempt): `size` is their used part.
 */
export class InsertionList<T extends Listed> {
  private readonly items: (T | null)[] = [];
  private readonly stamps: number[] = [];
  private size = 0;
  private nextStamp = 1;
  private dead = 0;

  /** Adds `item` at the end, unless it is in the list already (then it keeps its place, as in a Set). */
  add(item: T): void {
    if (item.listedAs !== 0) return;
    item.listedAs = this.nextStamp++;
    this.items[this.size] = item;
    this.stamps[this.size] = item.listedAs;
    this.size++;
  }

  delete(item: T): void {
    if (item.listedAs === 0) return;
    item.listedAs = 0;
    if (++this.dead > 64 && this.dead * 2 > this.size) this.compact();
  }

  /** The members in the order they were added: a copy, so the list may change while the caller goes through it. */
  snapshot(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.size; i++) {
      const item = this.items[i]!;
      if (item.listedAs === this.stamps[i]) out.push(item);
    }
    return out;
  }

  private compact(): void {
    let k = 0;
    for (let i = 0; i < this.size; i++) {
      const item = this.items[i]!;
      if (item.listedAs !== this.stamps[i]) continue;
      this.items[k] = item;
      this.stamps[k] = this.stamps[i]!;
      k++;
    }
    for (let i = k; i < this.size; i++) this.items[i] = null; // let go of what left
    this.size = k;
    this.dead = 0;
  }
}
