import { patchDistance } from "./patch-distance";
import { PATCH_PIXELS, RADIUS, holeDistances, shared, type Level } from "./pyramid";

/** How many offsets a coarse level may copy by (He and Sun use 60). */
const DOMINANT_OFFSETS = 60;
/** PatchMatch sweeps for the known-to-known matching. */
const SWEEPS = 4;
/** Source patches rarer than this fraction of the known ones pay for their rarity. */
const COMMON_FRACTION = 0.75;

/** For each known patch of a level, its most similar known patch elsewhere. */
export interface KnownMatches {
  level: Level;
  /** Centre of the match for each valid patch centre (-1 elsewhere or where none was found). */
  field: Int32Array;
  /** The match's patch distance: small where the image repeats itself, large for a one-off (an eye). */
  dist: Float32Array;
}

/**
 * Matches every known patch to its most similar known patch at least a fifteenth of the image
 * away (PatchMatch, known pixels only), as He and Sun do to learn how an image repeats itself.
 *
 * @example
 * ```ts
 * const matches = matchKnownPatches(level, mulberry32(seed));
 * ```
 */
export function matchKnownPatches(level: Level, random: () => number): KnownMatches {
  const { width, height, valid, validList } = level;
  const minShift = Math.max(2, Math.round(Math.max(width, height) / 15));
  const far = (p: number, q: number) => {
    const dx = (q % width) - (p % width);
    const dy = Math.floor(q / width) - Math.floor(p / width);
    return Math.max(Math.abs(dx), Math.abs(dy)) >= minShift;
  };
  return { level, ...nearestPatches(level, random, validList, valid, far) };
}

/**
 * How unlike the hole's surroundings each known pixel of `target` (a level `scale` times coarser
 * than `level`) is: the per-pixel distance from the patch there to the most similar patch in the
 * ring of known pixels along the hole (as wide as a quarter of the hole's depth). Content-aware
 * fill samples near the hole for the same reason: margins grown around a photo most likely hold
 * more of what lies along its edges (crowd, grass, foliage), not its subject, which they
 * otherwise copy whole. Pixels of the ring cost 0.
 *
 * @example
 * ```ts
 * const cost = contextCost(levels[2]!, mulberry32(seed), levels[3]!, 2);
 * ```
 */
export function contextCost(level: Level, random: () => number, target: Level, scale: number): Float32Array {
  const { width, height, hole, valid, validList } = level;
  const known = hole.map((inHole) => (inHole ? 0 : 1));
  const fromHole = holeDistances(width, height, known);
  const reach = RADIUS + 1 + Math.max(2, Math.round(level.depth / 4));
  const ring = validList.filter((p) => fromHole[p]! <= reach);
  const inRing = new Uint8Array(valid.length);
  for (const p of ring) inRing[p] = 1;
  const cost = new Float32Array(target.width * target.height);
  if (!ring.length) return cost;
  const { dist } = nearestPatches(level, random, ring, inRing, () => true);
  const clamp = (value: number, size: number) => Math.min(size - 1 - RADIUS, Math.max(RADIUS, value));
  for (let q = 0; q < cost.length; q++) {
    if (target.hole[q]) continue;
    // Sources by the image's edge have no whole patch: they take the nearest one inside.
    const x = clamp((q % target.width) * scale, width);
    const y = clamp(Math.floor(q / target.width) * scale, height);
    const p = y * width + x;
    cost[q] = valid[p] && Number.isFinite(dist[p]!) ? dist[p]! / PATCH_PIXELS : 0;
  }
  return cost;
}

/**
 * PatchMatch (known pixels only): for every valid patch of `level`, the most similar patch among
 * `candidates` (`isCandidate` marks them; at least one) that `accept` allows.
 */
function nearestPatches(
  level: Level,
  random: () => number,
  candidates: Int32Array,
  isCandidate: Uint8Array,
  accept: (p: number, q: number) => boolean,
): { field: Int32Array; dist: Float32Array } {
  const { width, height, validList } = level;
  const field = new Int32Array(width * height).fill(-1);
  const dist = new Float32Array(width * height);
  for (const p of validList) {
    let q = candidates[Math.floor(random() * candidates.length)]!;
    for (let tries = 0; tries < 8 && !accept(p, q); tries++)
      q = candidates[Math.floor(random() * candidates.length)]!;
    field[p] = accept(p, q) ? q : -1;
    dist[p] = field[p]! >= 0 ? patchDistance(level, p, q, Infinity) : Infinity;
  }
  const widest = Math.max(width, height);
  // The pixel being matched and its best match so far; `consider` is made once, not per pixel.
  let p = 0;
  let best = -1;
  let bestDist = Infinity;
  const consider = (q: number) => {
    if (q < 0 || q >= isCandidate.length || !isCandidate[q] || q === best || !accept(p, q)) return;
    const d = patchDistance(level, p, q, bestDist);
    if (d < bestDist) {
      best = q;
      bestDist = d;
    }
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const step = sweep % 2 ? -1 : 1;
    for (let k = step > 0 ? 0 : validList.length - 1; k >= 0 && k < validList.length; k += step) {
      p = validList[k]!;
      best = field[p]!;
      bestDist = dist[p]!;
      const px = p % width;
      if (px - step >= 0 && px - step < width && field[p - step]! >= 0) consider(field[p - step]! + step);
      const above = p - step * width;
      if (above >= 0 && above < field.length && field[above]! >= 0) consider(field[above]! + step * width);
      const base = best >= 0 ? best : p;
      const bx = base % width;
      const by = (base - bx) / width;
      for (let radius = widest; radius >= 1; radius >>= 1) {
        const cx = bx + Math.round((random() * 2 - 1) * radius);
        const cy = by + Math.round((random() * 2 - 1) * radius);
        if (cx >= 0 && cy >= 0 && cx < width && cy < height) consider(cy * width + cx);
      }
      field[p] = best;
      dist[p] = bestDist;
    }
  }
  return { field, dist };
}

/**
 * The offsets by which the image most often repeats itself (He and Sun, "Statistics of Patch
 * Offsets for Image Completion", 2012): the peaks of the histogram of the known patches' match
 * offsets, as `[dx0, dy0, dx1, dy1, …]`, the most frequent first. Copying a wide hole by these
 * offsets continues the scene's repeated structure (rows of windows, foliage, a wall); copying
 * by any offset lets a single nearby object (a head, an eye) be pasted into it.
 *
 * @example
 * ```ts
 * const offsets = dominantOffsets(matchKnownPatches(level, mulberry32(seed)));
 * ```
 */
export function dominantOffsets({ level, field }: KnownMatches, count = DOMINANT_OFFSETS): Int32Array {
  const { width, height, validList } = level;
  const w = 2 * width - 1;
  const h = 2 * height - 1;
  const histogram = new Float32Array(w * h);
  for (const p of validList) {
    const q = field[p]!;
    if (q < 0) continue;
    const dx = (q % width) - (p % width);
    const dy = Math.floor(q / width) - Math.floor(p / width);
    histogram[(dy + height - 1) * w + dx + width - 1]! += 1;
  }
  return smoothedPeaks(histogram, w, h, width, height, count);
}

/**
 * A cost per source patch of `target` (a level `scale` times coarser than the matches' level)
 * for being rare: how much further its nearest look-alike is than the common patches' (the
 * `COMMON_FRACTION` quantile), in patch-distance units. Added to the match distance on the
 * coarsest level, it lets the hole be built from what the image has plenty of (crowd, grass,
 * fur) rather than from the one patch that fits best there and is an object (a second head).
 *
 * @example
 * ```ts
 * const penalty = rarityPenalty(matchKnownPatches(levels[2]!, random), levels[3]!, 2);
 * ```
 */
export function rarityPenalty({ level, dist }: KnownMatches, target: Level, scale: number): Float32Array {
  const rarity = new Float32Array(target.validList.length);
  target.validList.forEach((q, k) => {
    const x = Math.min(level.width - 1, (q % target.width) * scale);
    const y = Math.min(level.height - 1, Math.floor(q / target.width) * scale);
    const d = dist[y * level.width + x]!;
    rarity[k] = level.valid[y * level.width + x] && Number.isFinite(d) ? d : 0;
  });
  const sorted = rarity.slice().sort();
  const common = sorted[Math.floor(sorted.length * COMMON_FRACTION)] ?? 0;
  const penalty = shared.floats(target.width * target.height);
  target.validList.forEach((q, k) => (penalty[q] = Math.max(0, rarity[k]! - common)));
  return penalty;
}

/** The `count` highest local maxima of the Gaussian-smoothed offset histogram, as offsets. */
function smoothedPeaks(
  histogram: Float32Array,
  w: number,
  h: number,
  width: number,
  height: number,
  count: number,
): Int32Array {
  const smooth = gaussianBlur(histogram, w, h);
  const peaks: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = smooth[y * w + x]!;
      if (v <= 0) continue;
      let isPeak = true;
      for (let dy = -1; dy <= 1 && isPeak; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if ((!dx && !dy) || nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const n = smooth[ny * w + nx]!;
          // Ties go to the first in scan order, so a flat plateau yields one peak.
          if (n > v || (n === v && ny * w + nx < y * w + x)) {
            isPeak = false;
            break;
          }
        }
      }
      if (isPeak) peaks.push(y * w + x);
    }
  }
  peaks.sort((a, b) => smooth[b]! - smooth[a]! || a - b);
  const chosen = peaks.slice(0, count);
  const offsets = new Int32Array(chosen.length * 2);
  chosen.forEach((at, k) => {
    offsets[2 * k] = (at % w) - (width - 1);
    offsets[2 * k + 1] = Math.floor(at / w) - (height - 1);
  });
  return offsets;
}

/** Separable Gaussian blur, σ = √2 (He and Sun's), radius 3. */
function gaussianBlur(values: Float32Array, w: number, h: number): Float32Array {
  const kernel = [-3, -2, -1, 0, 1, 2, 3].map((d) => Math.exp(-(d * d) / 4));
  const across = new Float32Array(values.length);
  const out = new Float32Array(values.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let d = -3; d <= 3; d++)
        if (x + d >= 0 && x + d < w) sum += kernel[d + 3]! * values[y * w + x + d]!;
      across[y * w + x] = sum;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let d = -3; d <= 3; d++)
        if (y + d >= 0 && y + d < h) sum += kernel[d + 3]! * across[(y + d) * w + x]!;
      out[y * w + x] = sum;
    }
  }
  return out;
}
