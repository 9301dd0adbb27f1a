/**
 * A flow network with a source and a sink and Dinic's maximum-flow algorithm, for the minimum
 * cuts of graph-cut labelling. Nodes are `0 … nodes - 1`; capacities are non-negative numbers.
 *
 * @example
 * ```ts
 * const network = new FlowNetwork(2);
 * network.addTerminals(0, 5, 0); // source → 0 with capacity 5
 * network.addEdge(0, 1, 3, 0);
 * network.addTerminals(1, 0, 4); // 1 → sink with capacity 4
 * network.maxFlow(); // 3
 * network.onSourceSide(0); // true; node 1 is on the sink side
 * ```
 */
export class FlowNetwork {
  private readonly source: number;
  private readonly sink: number;
  private readonly head: Int32Array;
  private to: Int32Array;
  private next: Int32Array;
  private capacity: Float64Array;
  private edges = 0;
  private readonly level: Int32Array;
  private readonly arc: Int32Array;
  /** Scratch for the breadth-first search and the current augmenting path, reused every phase. */
  private readonly queue: Int32Array;
  private readonly path: Int32Array;

  constructor(nodes: number, expectedEdges = 8 * nodes) {
    this.source = nodes;
    this.sink = nodes + 1;
    this.head = new Int32Array(nodes + 2).fill(-1);
    this.level = new Int32Array(nodes + 2);
    this.arc = new Int32Array(nodes + 2);
    this.queue = new Int32Array(nodes + 2);
    this.path = new Int32Array(nodes + 2);
    this.to = new Int32Array(expectedEdges);
    this.next = new Int32Array(expectedEdges);
    this.capacity = new Float64Array(expectedEdges);
  }

  /** Adds `from → to` with `forward` capacity and `to → from` with `backward` capacity. */
  addEdge(from: number, to: number, forward: number, backward: number): void {
    this.arcTo(from, to, forward);
    this.arcTo(to, from, backward);
  }

  /** Adds `source → node` and `node → sink` capacities (either may be 0). */
  addTerminals(node: number, fromSource: number, toSink: number): void {
    if (fromSource > 0) this.addEdge(this.source, node, fromSource, 0);
    if (toSink > 0) this.addEdge(node, this.sink, toSink, 0);
  }

  /** Pushes the maximum flow from source to sink and returns its value. */
  maxFlow(): number {
    let total = 0;
    while (this.layer()) {
      this.arc.set(this.head);
      total += this.augmentAll();
    }
    return total;
  }

  /** After `maxFlow`: whether `node` is on the source side of the minimum cut. */
  onSourceSide(node: number): boolean {
    return this.level[node]! >= 0;
  }

  private arcTo(from: number, to: number, capacity: number): void {
    if (this.edges === this.to.length) this.grow();
    this.to[this.edges] = to;
    this.capacity[this.edges] = capacity;
    this.next[this.edges] = this.head[from]!;
    this.head[from] = this.edges++;
  }

  private grow(): void {
    const size = this.to.length * 2 || 16;
    const to = new Int32Array(size);
    const next = new Int32Array(size);
    const capacity = new Float64Array(size);
    to.set(this.to);
    next.set(this.next);
    capacity.set(this.capacity);
    this.to = to;
    this.next = next;
    this.capacity = capacity;
  }

  /** Breadth-first levels over edges with capacity left; false once the sink is cut off. */
  private layer(): boolean {
    const { level, head, next, to, capacity, queue } = this;
    level.fill(-1);
    let read = 0;
    let write = 0;
    queue[write++] = this.source;
    level[this.source] = 0;
    while (read < write) {
      const u = queue[read++]!;
      for (let e = head[u]!; e >= 0; e = next[e]!) {
        const v = to[e]!;
        if (capacity[e]! > 0 && level[v]! < 0) {
          level[v] = level[u]! + 1;
          queue[write++] = v;
        }
      }
    }
    return level[this.sink]! >= 0;
  }

  /** Augments along shortest paths until the level graph is blocked (iterative, no recursion). */
  private augmentAll(): number {
    const { level, arc, next, to, capacity, path } = this;
    let depth = 0;
    let u = this.source;
    let total = 0;
    for (;;) {
      if (u === this.sink) {
        let bottleneck = Infinity;
        for (let i = 0; i < depth; i++) bottleneck = Math.min(bottleneck, capacity[path[i]!]!);
        let cut = depth;
        for (let i = depth - 1; i >= 0; i--) {
          const e = path[i]!;
          capacity[e] = capacity[e]! - bottleneck;
          capacity[e ^ 1] = capacity[e ^ 1]! + bottleneck;
          if (capacity[e]! <= 0) cut = i;
        }
        total += bottleneck;
        depth = cut;
        u = depth ? to[path[depth - 1]!]! : this.source;
        continue;
      }
      let e = arc[u]!;
      while (e >= 0 && !(capacity[e]! > 0 && level[to[e]!] === level[u]! + 1)) e = next[e]!;
      arc[u] = e;
      if (e >= 0) {
        path[depth++] = e;
        u = to[e]!;
        continue;
      }
      // A dead end: no path to the sink goes through `u` in this level graph.
      if (u === this.source) return total;
      level[u] = -1;
      depth--;
      u = depth ? to[path[depth - 1]!]! : this.source;
      arc[u] = next[arc[u]!]!;
    }
  }
}
