import { CHANNELS, type Level } from "./pyramid";

/** Colour channels corrected; alpha and the texture feature are left as copied. */
const CORRECTED = 3;
/** Successive over-relaxation factor. */
const OMEGA = 1.9;
/** Relaxation sweeps after the push–pull start; enough to settle the correction near the edges. */
const MAX_SWEEPS = 40;
/**
 * Edge differences longer than this (RGB distance) are where the copy meets other structure (a
 * red block's edge against grass), not a change of light. Spreading them would tint the fill
 * with a haze of that colour, so the correction is left free along such edges.
 */
const STRUCTURE_DIFFERENCE = 160;

/**
 * Removes the seams of a copied fill (Poisson image editing, Pérez et al., 2003): each hole pixel
 * was copied from `source[i]`, so across every hole edge the copy "expected" the neighbour its
 * source had, not the neighbour the photo has. A smooth correction that is harmonic inside the
 * hole and equals those differences at its edges is added to the copy: colour and brightness
 * then meet the surroundings while the copied texture (its gradients) is kept. The correction
 * starts from a push–pull interpolation of the edge differences (Gortler et al., 1996), so a few
 * relaxation sweeps settle it even in a hole hundreds of pixels deep.
 *
 * @example
 * ```ts
 * matchSeams(level, state.source);
 * ```
 */
export function matchSeams(level: Level, source: Int32Array): void {
  const { width, height, data, hole } = level;
  let total = 0;
  for (let i = 0; i < hole.length; i++) if (hole[i] && source[i]! >= 0) total++;
  if (total === 0) return;
  const holes = new Int32Array(total);
  for (let i = 0, h = 0; i < hole.length; i++) if (hole[i] && source[i]! >= 0) holes[h++] = i;
  // Work inside the holes' bounding box only: a small hole in a big photo costs what it covers.
  let left = width;
  let top = height;
  let right = 0;
  let bottom = 0;
  for (const i of holes) {
    const x = i % width;
    const y = (i - x) / width;
    left = Math.min(left, x);
    right = Math.max(right, x);
    top = Math.min(top, y);
    bottom = Math.max(bottom, y);
  }
  const box = { left, top, width: right - left + 1, height: bottom - top + 1 };
  const local = (i: number) => (Math.floor(i / width) - box.top) * box.width + (i % width) - box.left;
  const holeAt = new Int32Array(box.width * box.height).fill(-1);
  for (let h = 0; h < holes.length; h++) holeAt[local(holes[h]!)] = h;

  // Per hole pixel: its hole neighbours (as hole indices), its neighbour count, and the summed
  // edge differences.
  const neighbours = new Int32Array(holes.length * 4).fill(-1);
  const count = new Uint8Array(holes.length);
  const fixed = new Float32Array(holes.length * CORRECTED);
  const edges = new Uint8Array(holes.length);
  const difference = new Float32Array(CORRECTED);
  for (let h = 0; h < holes.length; h++) {
    const i = holes[h]!;
    const x = i % width;
    const y = (i - x) / width;
    const from = source[i]!;
    const fx = from % width;
    const fy = (from - fx) / width;
    for (let k = 0; k < 4; k++) {
      const dx = k === 0 ? -1 : k === 1 ? 1 : 0;
      const dy = k === 2 ? -1 : k === 3 ? 1 : 0;
      if (x + dx < 0 || x + dx >= width || y + dy < 0 || y + dy >= height) continue;
      const j = i + dy * width + dx;
      const inBox = x + dx >= left && x + dx <= right && y + dy >= top && y + dy <= bottom;
      const neighbour = inBox ? holeAt[local(j)]! : -1;
      if (neighbour >= 0) {
        neighbours[h * 4 + k] = neighbour;
        count[h]!++;
        continue;
      }
      if (fx + dx < 0 || fx + dx >= width || fy + dy < 0 || fy + dy >= height) continue;
      // The photo's neighbour minus the neighbour the copy came with.
      const expected = from + dy * width + dx;
      let size = 0;
      for (let c = 0; c < CORRECTED; c++) {
        difference[c] = data[j * CHANNELS + c]! - data[expected * CHANNELS + c]!;
        size += difference[c]! ** 2;
      }
      if (size > STRUCTURE_DIFFERENCE ** 2) continue;
      for (let c = 0; c < CORRECTED; c++) fixed[h * CORRECTED + c]! += difference[c]!;
      count[h]!++;
      edges[h]!++;
    }
  }

  const grid = pushPull(box.width, box.height, holes.map(local), fixed, edges);
  const correction = new Float32Array(holes.length * CORRECTED);
  for (let h = 0; h < holes.length; h++) {
    for (let c = 0; c < CORRECTED; c++)
      correction[h * CORRECTED + c] = grid[local(holes[h]!) * CORRECTED + c]!;
  }
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    for (let h = 0; h < holes.length; h++) {
      const n = count[h]!;
      if (n === 0) continue;
      // Channels unrolled: this is the hot loop.
      let r = fixed[h * CORRECTED]!;
      let g = fixed[h * CORRECTED + 1]!;
      let b = fixed[h * CORRECTED + 2]!;
      for (let k = h * 4; k < h * 4 + 4; k++) {
        const j = neighbours[k]!;
        if (j < 0) continue;
        r += correction[j * CORRECTED]!;
        g += correction[j * CORRECTED + 1]!;
        b += correction[j * CORRECTED + 2]!;
      }
      const at = h * CORRECTED;
      correction[at] = correction[at]! + OMEGA * (r / n - correction[at]!);
      correction[at + 1] = correction[at + 1]! + OMEGA * (g / n - correction[at + 1]!);
      correction[at + 2] = correction[at + 2]! + OMEGA * (b / n - correction[at + 2]!);
    }
  }
  for (let h = 0; h < holes.length; h++) {
    const i = holes[h]!;
    for (let c = 0; c < CORRECTED; c++) {
      const value = data[i * CHANNELS + c]! + correction[h * CORRECTED + c]!;
      data[i * CHANNELS + c] = Math.min(255, Math.max(0, Math.round(value)));
    }
  }
}

/**
 * A smooth first guess of the correction over the whole hole: the edge pixels' mean differences
 * are averaged down a pyramid (push) and spread back up into the pixels that have none (pull).
 * `holes` are indices into a `width` × `height` grid; the result is that grid's values.
 */
function pushPull(
  width: number,
  height: number,
  holes: Int32Array,
  fixed: Float32Array,
  edges: Uint8Array,
): Float32Array {
  type Grid = { width: number; height: number; value: Float32Array; weight: Float32Array };
  const first: Grid = {
    width,
    height,
    value: new Float32Array(width * height * CORRECTED),
    weight: new Float32Array(width * height),
  };
  for (let h = 0; h < holes.length; h++) {
    const i = holes[h]!;
    if (!edges[h]) continue;
    first.weight[i] = 1;
    for (let c = 0; c < CORRECTED; c++)
      first.value[i * CORRECTED + c] = fixed[h * CORRECTED + c]! / edges[h]!;
  }
  const grids = [first];
  for (let g = first; g.width > 1 || g.height > 1;) {
    const w = Math.max(1, g.width >> 1);
    const ht = Math.max(1, g.height >> 1);
    const next: Grid = {
      width: w,
      height: ht,
      value: new Float32Array(w * ht * CORRECTED),
      weight: new Float32Array(w * ht),
    };
    for (let y = 0; y < g.height; y++) {
      for (let x = 0; x < g.width; x++) {
        const i = y * g.width + x;
        const weight = g.weight[i]!;
        if (!weight) continue;
        const o = Math.min(ht - 1, y >> 1) * w + Math.min(w - 1, x >> 1);
        next.weight[o]! += weight;
        for (let c = 0; c < CORRECTED; c++)
          next.value[o * CORRECTED + c]! += weight * g.value[i * CORRECTED + c]!;
      }
    }
    for (let o = 0; o < w * ht; o++) {
      const weight = next.weight[o]!;
      if (!weight) continue;
      for (let c = 0; c < CORRECTED; c++) next.value[o * CORRECTED + c]! /= weight;
      next.weight[o] = Math.min(1, weight);
    }
    grids.push(next);
    g = next;
  }
  for (let level = grids.length - 2; level >= 0; level--) {
    const fine = grids[level]!;
    const coarse = grids[level + 1]!;
    for (let y = 0; y < fine.height; y++) {
      for (let x = 0; x < fine.width; x++) {
        const i = y * fine.width + x;
        const own = fine.weight[i]!;
        if (own >= 1) continue;
        // Bilinear sample of the coarser grid, so the guess has no blocks to relax away.
        const cx = Math.min(coarse.width - 1, Math.max(0, (x + 0.5) / 2 - 0.5));
        const cy = Math.min(coarse.height - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
        const x0 = Math.floor(cx);
        const y0 = Math.floor(cy);
        const x1 = Math.min(coarse.width - 1, x0 + 1);
        const y1 = Math.min(coarse.height - 1, y0 + 1);
        const wx = cx - x0;
        const wy = cy - y0;
        const a = (y0 * coarse.width + x0) * CORRECTED;
        const b = (y0 * coarse.width + x1) * CORRECTED;
        const d = (y1 * coarse.width + x0) * CORRECTED;
        const e = (y1 * coarse.width + x1) * CORRECTED;
        const v = coarse.value;
        for (let c = 0; c < CORRECTED; c++) {
          const top = v[a + c]! * (1 - wx) + v[b + c]! * wx;
          const bottom = v[d + c]! * (1 - wx) + v[e + c]! * wx;
          const pulled = top * (1 - wy) + bottom * wy;
          fine.value[i * CORRECTED + c] = own * fine.value[i * CORRECTED + c]! + (1 - own) * pulled;
        }
        fine.weight[i] = 1;
      }
    }
  }
  return first.value;
}
