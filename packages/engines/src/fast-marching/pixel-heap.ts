/**
 * A binary min-heap of pixel indices keyed by arrival time, on typed arrays that grow by
 * doubling — the narrow band of the fast-marching method. A pixel may be pushed again with a
 * smaller key; callers skip the stale entry when it surfaces.
 */
export class PixelHeap {
  private indices: Int32Array;
  private keys: Float32Array;
  private count = 0;
  /** The key of the index `pop` last returned. */
  poppedKey = 0;

  constructor(capacity: number) {
    this.indices = new Int32Array(Math.max(16, capacity));
    this.keys = new Float32Array(this.indices.length);
  }

  get size(): number {
    return this.count;
  }

  push(index: number, key: number): void {
    if (this.count === this.indices.length) this.grow();
    let at = this.count++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.indices[at] = this.indices[parent]!;
      this.keys[at] = this.keys[parent]!;
      at = parent;
    }
    this.indices[at] = index;
    this.keys[at] = key;
  }

  /** Removes and returns the index with the smallest key; -1 when empty. */
  pop(): number {
    if (this.count === 0) return -1;
    const top = this.indices[0]!;
    this.poppedKey = this.keys[0]!;
    const last = --this.count;
    const index = this.indices[last]!;
    const key = this.keys[last]!;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= last) break;
      if (child + 1 < last && this.keys[child + 1]! < this.keys[child]!) child++;
      if (this.keys[child]! >= key) break;
      this.indices[at] = this.indices[child]!;
      this.keys[at] = this.keys[child]!;
      at = child;
    }
    this.indices[at] = index;
    this.keys[at] = key;
    return top;
  }

  private grow(): void {
    const indices = new Int32Array(this.indices.length * 2);
    const keys = new Float32Array(indices.length);
    indices.set(this.indices);
    keys.set(this.keys);
    this.indices = indices;
    this.keys = keys;
  }
}
