import { FlowNetwork } from "./max-flow";
import { CHANNELS, type Level } from "./pyramid";

/** Alpha-expansion cycles over all offsets; He and Sun's energy settles within two or three. */
const CYCLES = 3;
/** The cost of a seam between two copies where one of them has no known pixel to show. */
const MISSING = 4 * 255 * 255;
/**
 * Larger holes are left to the onion match: the cuts' cost grows faster than the hole (on this
 * project's machine about 0.1 s for a 512² photo's box, ~500 pixels at the coarsest level, and
 * 1.8 s for 4900 pixels).
 */
const MAX_NODES = 4000;

/**
 * He and Sun's (2012) image completion at a level: every hole pixel copies the known pixel at
 * one of `offsets` (`[dx, dy, …]`, the image's dominant ones, see `dominantOffsets`), and the
 * offsets are chosen together — alpha-expansion graph cuts (Boykov, Veksler and Zabih, 2001) —
 * so that wherever neighbouring pixels copy by different offsets, the two copies agree there.
 * The fill is a few large pieces of the image joined where they match, which continues
 * structure (a wall, a horizon) across the hole instead of growing whatever touches its edge.
 *
 * `sourceCost` (per pixel of the level, optional) is what each copied pixel pays for where it
 * comes from, e.g. `contextCost`.
 *
 * Copies the chosen pixels into `level.data` and returns where each hole pixel was copied from:
 * -1 where no offset reaches a known pixel (left for the onion match) and outside the hole.
 * `random` orders the expansions.
 *
 * @example
 * ```ts
 * const offsets = dominantOffsets(matchKnownPatches(level, mulberry32(seed)));
 * const source = labelByOffsets(level, offsets, mulberry32(seed));
 * onionMatch(level, mulberry32(seed), offsets, level.hole.map((h, p) => (h && source[p]! < 0 ? 1 : 0)));
 * ```
 */
export function labelByOffsets(
  level: Level,
  offsets: Int32Array,
  random: () => number,
  sourceCost?: Float32Array,
): Int32Array {
  const { width, height, data, hole } = level;
  const source = new Int32Array(hole.length).fill(-1);
  const labels = offsets.length / 2;
  const pixels: number[] = [];
  for (let p = 0; p < hole.length; p++) if (hole[p]) pixels.push(p);
  if (!labels || pixels.length > MAX_NODES) return source;

  // The source of pixel `p` copied by offset `label`, or -1 outside the image or in the hole.
  const sourceOf = (p: number, label: number): number => {
    const x = (p % width) + offsets[2 * label]!;
    const y = Math.floor(p / width) + offsets[2 * label + 1]!;
    if (x < 0 || y < 0 || x >= width || y >= height) return -1;
    const q = y * width + x;
    return hole[q] ? -1 : q;
  };
  const colourDistance = (a: number, b: number): number => {
    let sum = 0;
    for (let c = 0; c < 4; c++) {
      const d = data[a * CHANNELS + c]! - data[b * CHANNELS + c]!;
      sum += d * d;
    }
    return sum;
  };
  // How much copies of pixel `p` by `a` and by `b` differ (`b` < 0: `p` itself, a known pixel).
  const disagreement = (p: number, a: number, b: number): number => {
    if (a === b) return 0;
    const fromA = sourceOf(p, a);
    const fromB = b < 0 ? p : sourceOf(p, b);
    return fromA < 0 || fromB < 0 ? MISSING : colourDistance(fromA, fromB);
  };

  const node = new Int32Array(hole.length).fill(-1);
  const label = new Int32Array(pixels.length).fill(-1);
  const nodes: number[] = [];
  for (const p of pixels) {
    for (let l = 0; l < labels && label[nodes.length]! < 0; l++)
      if (sourceOf(p, l) >= 0) label[nodes.length] = l;
    if (label[nodes.length]! < 0) continue;
    node[p] = nodes.length;
    nodes.push(p);
  }
  const count = nodes.length;
  // Each node's neighbours to the right and below that are nodes too, and its known neighbours.
  const right = new Int32Array(count).fill(-1);
  const below = new Int32Array(count).fill(-1);
  // Up to four known 4-neighbours per node, -1 padded.
  const known = new Int32Array(count * 4).fill(-1);
  const around = new Int32Array(4);
  for (let i = 0; i < count; i++) {
    const p = nodes[i]!;
    const x = p % width;
    const y = (p - x) / width;
    around[0] = x > 0 ? p - 1 : -1;
    around[1] = x < width - 1 ? p + 1 : -1;
    around[2] = y > 0 ? p - width : -1;
    around[3] = y < height - 1 ? p + width : -1;
    let k = 4 * i;
    for (const q of around) if (q >= 0 && !hole[q]) known[k++] = q;
    if (x < width - 1 && node[p + 1]! >= 0) right[i] = node[p + 1]!;
    if (y < height - 1 && node[p + width]! >= 0) below[i] = node[p + width]!;
  }
  // A seam with a known neighbour `q`: `q` keeps itself, so the copy by `a` must match `q`.
  const boundaryCost = (i: number, a: number): number => {
    let sum = 0;
    for (let k = 4 * i; k < 4 * i + 4 && known[k]! >= 0; k++) sum += disagreement(known[k]!, a, -1);
    return sum;
  };
  // What a node pays on its own for taking `a`: its seams with known pixels and its source's cost.
  const nodeCost = (i: number, a: number): number =>
    boundaryCost(i, a) + (sourceCost ? sourceCost[sourceOf(nodes[i]!, a)]! : 0);
  const pairCost = (i: number, j: number, a: number, b: number): number =>
    a === b ? 0 : disagreement(nodes[i]!, a, b) + disagreement(nodes[j]!, a, b);
  const energy = (): number => {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      sum += nodeCost(i, label[i]!);
      if (right[i]! >= 0) sum += pairCost(i, right[i]!, label[i]!, label[right[i]!]!);
      if (below[i]! >= 0) sum += pairCost(i, below[i]!, label[i]!, label[below[i]!]!);
    }
    return sum;
  };

  let current = energy();
  const order = Array.from({ length: labels }, (_, l) => l);
  const unary = new Float64Array(count);
  // Each node's place in the cut, or -1 where it cannot change: it has `alpha` already, or the
  // pixel at offset `alpha` is in the hole. Fixed nodes' seams become their neighbours' unary terms.
  const slot = new Int32Array(count);
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    shuffle(order, random);
    let improved = false;
    for (const alpha of order) {
      let active = 0;
      for (let i = 0; i < count; i++) {
        slot[i] = label[i] !== alpha && sourceOf(nodes[i]!, alpha) >= 0 ? active++ : -1;
      }
      if (!active) continue;
      const network = new FlowNetwork(active);
      // Unary term per node: the extra cost of switching to `alpha` (x = 1) over keeping (x = 0).
      for (let i = 0; i < count; i++) {
        if (slot[i]! >= 0) unary[slot[i]!] = nodeCost(i, alpha) - nodeCost(i, label[i]!);
      }
      const pair = (i: number, j: number) => {
        const si = slot[i]!;
        const sj = slot[j]!;
        if (si < 0 && sj < 0) return;
        const a = pairCost(i, j, label[i]!, label[j]!);
        const b = pairCost(i, j, label[i]!, alpha);
        const c = pairCost(i, j, alpha, label[j]!);
        // E(x_i, x_j) = a + (c − a)·x_i + (0 − c)·x_j + (b + c − a)·(1 − x_i)·x_j; the last
        // coefficient is clamped at 0 where the seam costs are not submodular.
        if (sj < 0) unary[si] = unary[si]! + c - a;
        else if (si < 0) unary[sj] = unary[sj]! + b - a;
        else {
          unary[si] = unary[si]! + c - a;
          unary[sj] = unary[sj]! - c;
          network.addEdge(si, sj, Math.max(0, b + c - a), 0);
        }
      };
      for (let i = 0; i < count; i++) {
        if (right[i]! >= 0) pair(i, right[i]!);
        if (below[i]! >= 0) pair(i, below[i]!);
      }
      for (let k = 0; k < active; k++) {
        const u = unary[k]!;
        network.addTerminals(k, u > 0 ? u : 0, u < 0 ? -u : 0);
      }
      network.maxFlow();
      const previous = label.slice();
      let changed = false;
      for (let i = 0; i < count; i++) {
        if (slot[i]! >= 0 && !network.onSourceSide(slot[i]!)) {
          label[i] = alpha;
          changed = true;
        }
      }
      if (!changed) continue;
      const next = energy();
      if (next < current) {
        current = next;
        improved = true;
      } else label.set(previous);
    }
    if (!improved) break;
  }

  for (let i = 0; i < count; i++) {
    const p = nodes[i]!;
    const q = sourceOf(p, label[i]!);
    data.copyWithin(p * CHANNELS, q * CHANNELS, q * CHANNELS + CHANNELS);
    source[p] = q;
  }
  return source;
}

/** Fisher–Yates, in place. */
function shuffle(values: number[], random: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
}
