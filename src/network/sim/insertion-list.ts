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
 * compacted away once they are half of the list.
 */
export class InsertionList<T extends Listed> {
  private items: T[] = [];
  private stamps: number[] = [];
  private nextStamp = 1;
  private dead = 0;

  /** Adds `item` at the end, unless it is in the list already (then it keeps its place, as in a Set). */
  add(item: T): void {
    if (item.listedAs !== 0) return;
    item.listedAs = this.nextStamp++;
    this.items.push(item);
    this.stamps.push(item.listedAs);
  }

  delete(item: T): void {
    if (item.listedAs === 0) return;
    item.listedAs = 0;
    if (++this.dead > 64 && this.dead * 2 > this.items.length) this.compact();
  }

  /** The members in the order they were added: a copy, so the list may change while the caller goes through it. */
  snapshot(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.items.length; i++) if (this.items[i]!.listedAs === this.stamps[i]) out.push(this.items[i]!);
    return out;
  }

  private compact(): void {
    let k = 0;
    for (let i = 0; i < this.items.length; i++) {
      const item = this.items[i]!;
      if (item.listedAs !== this.stamps[i]) continue;
      this.items[k] = item;
      this.stamps[k] = this.stamps[i]!;
      k++;
    }
    this.items.length = k;
    this.stamps.length = k;
    this.dead = 0;
  }
}
