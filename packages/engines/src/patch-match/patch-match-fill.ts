import { mulberry32 } from "../seeded-random";

/** RGBA pixels with a hole to fill: `hole[i]` is non-zero where pixel `i` must be synthesised. */
export interface FillInput {
  width: number;
  height: number;
  data: Uint8Array;
  hole: Uint8Array;
  seed: number;
}

export interface FillHooks {
  /** `fraction` in [0, 1], growing. */
  onProgress(fraction: number): void;
}

/** Patch radius: 7×7 patches, large enough to carry texture, small enough to fit thin gaps. */
const RADIUS = 3;
/** The pyramid stops before a level's shorter side falls under this many pixels. */
const COARSEST_SIDE = 24;
/**
 * Level pixels carry RGBA plus a texture feature (local gradient energy, Newson et al., 2014).
 * Plain colour distance prefers smooth source patches — a flat patch of the right mean is closer
 * to any texture than a misaligned copy of the same texture — so fills come out smooth; matching
 * the feature too keeps textured surroundings textured inside the hole.
 */
const CHANNELS = 5;
const FEATURE = 4;
/** How much a texture mismatch counts against a colour mismatch in the patch distance. */
const FEATURE_WEIGHT = 2;

interface Level {
  width: number;
  height: number;
  /** `CHANNELS` per pixel; hole pixels hold the current estimate. */
  data: Uint8Array;
  hole: Uint8Array;
  /** 1 where a patch centred here lies inside the image and touches no hole pixel. */
  valid: Uint8Array;
  validList: Int32Array;
}

/**
 * Exemplar-based inpainting: multi-scale PatchMatch nearest-neighbour search (Barnes et al.,
 * 2009) with coarse-to-fine expectation–maximisation completion and patch voting (Wexler et
 * al., 2007). Each hole pixel ends up copied from real texture elsewhere in the image, so the
 * fill keeps the surroundings' detail instead of smearing it. Typed arrays only; no per-pixel
 * allocation. The same input and seed give the same bytes.
 *
 * @example
 * ```ts
 * const filled = patchMatchFill({ width, height, data, hole, seed: 7 }, { onProgress: () => {} });
 * ```
 */
export function patchMatchFill(input: FillInput, hooks: FillHooks): Uint8Array {
  const random = mulberry32(input.seed);
  const levels = buildPyramid(input);
  if (levels[0]!.validList.length === 0) {
    // No whole patch outside the hole (a tiny image or a nearly full mask): fill ring by ring.
    onionPeel(levels[0]!);
    hooks.onProgress(1);
    return toRgba(levels[0]!);
  }
  const coarsest = levels[levels.length - 1]!;
  onionPeel(coarsest);

  const work = levels.map((level) => level.width * level.height);
  const totalWork = work.reduce((sum, value) => sum + value, 0);
  let done = 0;

  let nnf: Int32Array | null = null;
  let previous: Level | null = null;
  for (let index = levels.length - 1; index >= 0; index--) {
    const level = levels[index]!;
    const targets = targetPixels(level);
    const dist = new Float32Array(level.width * level.height);
    const field = new Int32Array(level.width * level.height).fill(-1);
    if (nnf && previous) upsampleField(previous, nnf, level, targets, field, random);
    else randomField(level, targets, field, random);
    if (previous) vote(level, targets, field, dist, false, false);

    const finest = index === 0;
    const rounds = finest && previous ? 3 : levels.length - index <= 2 ? 6 : 4;
    for (let round = 0; round < rounds; round++) {
      // The coarsest level starts from a smooth guess; matching its first round mostly on the
      // known pixels picks real texture instead of patches as smooth as that guess.
      const distance = !previous && round === 0 ? knownFirstDistance : patchDistance;
      computeDistances(level, targets, field, dist, distance);
      for (let pass = 0; pass < 2; pass++)
        improveField(level, targets, field, dist, random, (round + pass) % 2 === 1, distance);
      vote(level, targets, field, dist, true, finest && round === rounds - 1);
    }
    done += work[index]!;
    hooks.onProgress(done / totalWork);
    nnf = field;
    previous = level;
  }
  return toRgba(levels[0]!);
}

function toRgba(level: Level): Uint8Array {
  const out = new Uint8Array(level.width * level.height * 4);
  for (let i = 0; i < level.width * level.height; i++) {
    out.set(level.data.subarray(i * CHANNELS, i * CHANNELS + 4), i * 4);
  }
  return out;
}

/** Level data from RGBA: the colours, and the texture feature of every known pixel. */
function withFeature(width: number, height: number, rgba: Uint8Array, hole: Uint8Array): Uint8Array {
  const data = new Uint8Array(width * height * CHANNELS);
  for (let i = 0; i < width * height; i++) data.set(rgba.subarray(i * 4, i * 4 + 4), i * CHANNELS);
  computeFeature(width, height, data, hole);
  return data;
}

/**
 * The feature of a known pixel: the mean absolute luma step to its right and lower neighbours
 * over its 3×3 neighbourhood, counting only steps between known pixels (a hole's guesses would
 * make its border look textured or flat).
 */
function computeFeature(width: number, height: number, data: Uint8Array, hole: Uint8Array): void {
  const step = new Float32Array(width * height).fill(-1);
  const luma = (i: number) =>
    0.299 * data[i * CHANNELS]! + 0.587 * data[i * CHANNELS + 1]! + 0.114 * data[i * CHANNELS + 2]!;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (hole[i]) continue;
      let sum = 0;
      let n = 0;
      if (x + 1 < width && !hole[i + 1]) {
        sum += Math.abs(luma(i + 1) - luma(i));
        n++;
      }
      if (y + 1 < height && !hole[i + width]) {
        sum += Math.abs(luma(i + width) - luma(i));
        n++;
      }
      if (n) step[i] = sum / n;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (hole[i]) continue;
      let sum = 0;
      let n = 0;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(height - 1, y + 1); yy++) {
        for (let xx = Math.max(0, x - 1); xx <= Math.min(width - 1, x + 1); xx++) {
          const g = step[yy * width + xx]!;
          if (g < 0) continue;
          sum += g;
          n++;
        }
      }
      data[i * CHANNELS + FEATURE] = n ? Math.min(255, Math.round((2 * sum) / n)) : 0;
    }
  }
}

/**
 * Levels go down only as far as the hole needs: until its deepest pixel is within about one
 * patch width of known pixels. Going coarser than that helps wide holes find their overall
 * structure but swallows thin strokes whole at the coarse levels, whose guesses then mislead
 * the finer ones.
 */
function buildPyramid(input: FillInput): Level[] {
  const hole = hole01(input.hole);
  const first = makeLevel(
    input.width,
    input.height,
    withFeature(input.width, input.height, input.data, hole),
    hole,
  );
  const levels = [first];
  const depth = holeDepth(input.width, input.height, hole);
  const wanted = Math.max(0, Math.ceil(Math.log2(depth / (2 * RADIUS))));
  let current = first;
  while (levels.length <= wanted && Math.min(current.width, current.height) >= 2 * COARSEST_SIDE) {
    const next = downsample(current);
    if (next.validList.length === 0) break;
    levels.push(next);
    current = next;
  }
  return levels;
}

/** The largest chessboard distance from a hole pixel to the nearest known pixel (two-pass transform). */
function holeDepth(width: number, height: number, hole: Uint8Array): number {
  const far = width + height;
  const d = new Int32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!hole[i]) continue;
      let best = far;
      if (x > 0) best = Math.min(best, d[i - 1]! + 1);
      if (y > 0) {
        best = Math.min(best, d[i - width]! + 1);
        if (x > 0) best = Math.min(best, d[i - width - 1]! + 1);
        if (x < width - 1) best = Math.min(best, d[i - width + 1]! + 1);
      }
      d[i] = best;
    }
  }
  let deepest = 0;
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      if (!hole[i]) continue;
      let best = d[i]!;
      if (x < width - 1) best = Math.min(best, d[i + 1]! + 1);
      if (y < height - 1) {
        best = Math.min(best, d[i + width]! + 1);
        if (x < width - 1) best = Math.min(best, d[i + width + 1]! + 1);
        if (x > 0) best = Math.min(best, d[i + width - 1]! + 1);
      }
      d[i] = best;
      deepest = Math.max(deepest, best);
    }
  }
  return deepest;
}

function hole01(mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i] ? 1 : 0;
  return out;
}

function makeLevel(width: number, height: number, data: Uint8Array, hole: Uint8Array): Level {
  const valid = new Uint8Array(width * height);
  // Rows/columns within RADIUS of a hole pixel, found separably: first horizontally, then vertically.
  const nearHoleX = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    let last = -1_000_000;
    for (let x = 0; x < width; x++) {
      if (hole[y * width + x]) last = x;
      if (x - last <= RADIUS) nearHoleX[y * width + x] = 1;
    }
    last = 1_000_000;
    for (let x = width - 1; x >= 0; x--) {
      if (hole[y * width + x]) last = x;
      if (last - x <= RADIUS) nearHoleX[y * width + x] = 1;
    }
  }
  let count = 0;
  for (let y = RADIUS; y < height - RADIUS; y++) {
    for (let x = RADIUS; x < width - RADIUS; x++) {
      let touches = 0;
      for (let dy = -RADIUS; dy <= RADIUS && !touches; dy++) touches = nearHoleX[(y + dy) * width + x]!;
      if (!touches) {
        valid[y * width + x] = 1;
        count++;
      }
    }
  }
  const validList = new Int32Array(count);
  for (let i = 0, k = 0; i < valid.length; i++) if (valid[i]) validList[k++] = i;
  return { width, height, data, hole, valid, validList };
}

/** Halves a level: known pixels are averaged; a coarse pixel with any hole child is a hole. */
function downsample(level: Level): Level {
  const width = level.width >> 1;
  const height = level.height >> 1;
  const data = new Uint8Array(width * height * CHANNELS);
  const hole = new Uint8Array(width * height);
  const fine = level.data;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * width + x;
      let known = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      let anyHole = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const i = (2 * y + dy) * level.width + 2 * x + dx;
          if (level.hole[i]) {
            anyHole = 1;
            continue;
          }
          known++;
          r += fine[i * CHANNELS]!;
          g += fine[i * CHANNELS + 1]!;
          b += fine[i * CHANNELS + 2]!;
          a += fine[i * CHANNELS + 3]!;
        }
      }
      hole[o] = anyHole;
      if (known) {
        data[o * CHANNELS] = Math.round(r / known);
        data[o * CHANNELS + 1] = Math.round(g / known);
        data[o * CHANNELS + 2] = Math.round(b / known);
        data[o * CHANNELS + 3] = Math.round(a / known);
      }
    }
  }
  computeFeature(width, height, data, hole);
  return makeLevel(width, height, data, hole);
}

/** A first guess for the coarsest level: each ring of the hole takes the mean of its known neighbours. */
function onionPeel(level: Level): void {
  const { width, height, data } = level;
  const unknown = level.hole.slice();
  let frontier: number[] = [];
  for (let i = 0; i < unknown.length; i++) if (unknown[i]) frontier.push(i);
  while (frontier.length) {
    const filled: number[] = [];
    const remaining: number[] = [];
    for (const i of frontier) {
      const x = i % width;
      const y = (i - x) / width;
      let n = 0;
      const sum = [0, 0, 0, 0, 0];
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          if (unknown[j]) continue;
          n++;
          for (let c = 0; c < CHANNELS; c++) sum[c]! += data[j * CHANNELS + c]!;
        }
      }
      if (n === 0) {
        remaining.push(i);
        continue;
      }
      for (let c = 0; c < CHANNELS; c++) data[i * CHANNELS + c] = Math.round(sum[c]! / n);
      filled.push(i);
    }
    if (filled.length === 0) break; // nothing known anywhere: leave as is
    for (const i of filled) unknown[i] = 0;
    frontier = remaining;
  }
}

/** Centres of every patch that overlaps the hole: the hole dilated by the patch radius. */
function targetPixels(level: Level): Int32Array {
  const { width, height, hole } = level;
  const mark = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!hole[y * width + x]) continue;
      const y0 = Math.max(0, y - RADIUS);
      const y1 = Math.min(height - 1, y + RADIUS);
      const x0 = Math.max(0, x - RADIUS);
      const x1 = Math.min(width - 1, x + RADIUS);
      for (let yy = y0; yy <= y1; yy++) mark.fill(1, yy * width + x0, yy * width + x1 + 1);
    }
  }
  let count = 0;
  for (let i = 0; i < mark.length; i++) count += mark[i]!;
  const list = new Int32Array(count);
  for (let i = 0, k = 0; i < mark.length; i++) if (mark[i]) list[k++] = i;
  return list;
}

function randomValid(level: Level, random: () => number): number {
  return level.validList[Math.floor(random() * level.validList.length)]!;
}

function randomField(level: Level, targets: Int32Array, field: Int32Array, random: () => number): void {
  for (const p of targets) field[p] = randomValid(level, random);
}

/** Carries the coarser level's matches up: a match at (x, y) becomes one at (2x, 2y) plus the same sub-offset. */
function upsampleField(
  coarse: Level,
  coarseField: Int32Array,
  fine: Level,
  targets: Int32Array,
  field: Int32Array,
  random: () => number,
): void {
  for (const p of targets) {
    const px = p % fine.width;
    const py = (p - px) / fine.width;
    const cx = Math.min(coarse.width - 1, px >> 1);
    const cy = Math.min(coarse.height - 1, py >> 1);
    const cq = coarseField[cy * coarse.width + cx]!;
    let q = -1;
    if (cq >= 0) {
      const qx = 2 * (cq % coarse.width) + (px & 1);
      const qy = 2 * Math.floor(cq / coarse.width) + (py & 1);
      if (qx < fine.width && qy < fine.height && fine.valid[qy * fine.width + qx]) q = qy * fine.width + qx;
    }
    field[p] = q >= 0 ? q : randomValid(fine, random);
  }
}

/** Sum of squared differences between the patches at p (current estimate) and q, stopping past `limit`. */
function patchDistance(level: Level, p: number, q: number, limit: number): number {
  const { width, height, data } = level;
  const px = p % width;
  const py = (p - px) / width;
  const shift = q - p;
  let sum = 0;
  for (let dy = -RADIUS; dy <= RADIUS; dy++) {
    const y = py + dy;
    if (y < 0 || y >= height) continue;
    for (let dx = -RADIUS; dx <= RADIUS; dx++) {
      const x = px + dx;
      if (x < 0 || x >= width) continue;
      const a = (y * width + x) * CHANNELS;
      const b = a + shift * CHANNELS;
      const dr = data[a]! - data[b]!;
      const dg = data[a + 1]! - data[b + 1]!;
      const db = data[a + 2]! - data[b + 2]!;
      const da = data[a + 3]! - data[b + 3]!;
      const dt = data[a + FEATURE]! - data[b + FEATURE]!;
      sum += dr * dr + dg * dg + db * db + da * da + FEATURE_WEIGHT * dt * dt;
    }
    if (sum > limit) return sum;
  }
  return sum;
}

/** Sum of squared differences with the guessed (hole) pixels of p's patch counting a tenth. */
function knownFirstDistance(level: Level, p: number, q: number, limit: number): number {
  const { width, height, data, hole } = level;
  const px = p % width;
  const py = (p - px) / width;
  const shift = q - p;
  let sum = 0;
  for (let dy = -RADIUS; dy <= RADIUS; dy++) {
    const y = py + dy;
    if (y < 0 || y >= height) continue;
    for (let dx = -RADIUS; dx <= RADIUS; dx++) {
      const x = px + dx;
      if (x < 0 || x >= width) continue;
      const i = y * width + x;
      const a = i * CHANNELS;
      const b = a + shift * CHANNELS;
      const dr = data[a]! - data[b]!;
      const dg = data[a + 1]! - data[b + 1]!;
      const db = data[a + 2]! - data[b + 2]!;
      const da = data[a + 3]! - data[b + 3]!;
      const dt = data[a + FEATURE]! - data[b + FEATURE]!;
      const squared = dr * dr + dg * dg + db * db + da * da + FEATURE_WEIGHT * dt * dt;
      sum += hole[i] ? 0.1 * squared : squared;
    }
    if (sum > limit) return sum;
  }
  return sum;
}

type PatchDistance = (level: Level, p: number, q: number, limit: number) => number;

function computeDistances(
  level: Level,
  targets: Int32Array,
  field: Int32Array,
  dist: Float32Array,
  distance: PatchDistance,
): void {
  for (const p of targets) dist[p] = distance(level, p, field[p]!, Infinity);
}

/** One PatchMatch sweep: propagation from the scan's previous neighbours, then random search. */
function improveField(
  level: Level,
  targets: Int32Array,
  field: Int32Array,
  dist: Float32Array,
  random: () => number,
  reverse: boolean,
  distance: PatchDistance,
): void {
  const { width, height, valid } = level;
  const step = reverse ? -1 : 1;
  const n = targets.length;
  for (let k = reverse ? n - 1 : 0; k >= 0 && k < n; k += step) {
    const p = targets[k]!;
    let best = field[p]!;
    let bestDist = dist[p]!;
    const px = p % width;
    for (let n = 0; n < 2; n++) {
      const neighbour = n === 0 ? p - step : p - step * width;
      if (neighbour < 0 || neighbour >= field.length) continue;
      if (n === 0 && (px - step < 0 || px - step >= width)) continue;
      const nq = field[neighbour]!;
      if (nq < 0) continue;
      const candidate = nq + (p - neighbour);
      if (candidate < 0 || candidate >= valid.length || !valid[candidate] || candidate === best) continue;
      const d = distance(level, p, candidate, bestDist);
      if (d < bestDist) {
        best = candidate;
        bestDist = d;
      }
    }
    const bx = best % width;
    const by = (best - bx) / width;
    for (let radius = Math.max(width, height); radius >= 1; radius >>= 1) {
      const cx = bx + Math.round((random() * 2 - 1) * radius);
      const cy = by + Math.round((random() * 2 - 1) * radius);
      if (cx < 0 || cy < 0 || cx >= width || cy >= height) continue;
      const candidate = cy * width + cx;
      if (!valid[candidate] || candidate === best) continue;
      const d = distance(level, p, candidate, bestDist);
      if (d < bestDist) {
        best = candidate;
        bestDist = d;
      }
    }
    field[p] = best;
    dist[p] = bestDist;
  }
}

/**
 * Re-estimates every hole pixel from the patches that cover it. Weighted by patch similarity
 * (Wexler et al.) during the iterations; on the last pass at full size each pixel instead takes
 * the value proposed by its single best-matching patch, which keeps texture sharp where an
 * average would blur it.
 */
function vote(
  level: Level,
  targets: Int32Array,
  field: Int32Array,
  dist: Float32Array,
  weighted: boolean,
  bestOnly: boolean,
): void {
  const { width, height, data, hole } = level;
  let scale = 1;
  if (weighted && targets.length) {
    const sample = new Float32Array(Math.min(targets.length, 4096));
    for (let i = 0; i < sample.length; i++) {
      sample[i] = dist[targets[Math.floor((i * targets.length) / sample.length)]!]!;
    }
    sample.sort();
    scale = Math.max(1, sample[Math.floor(sample.length * 0.75)]!);
  }
  const next = new Uint8Array(CHANNELS);
  const acc = new Float64Array(CHANNELS);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!hole[i]) continue;
      let wsum = 0;
      acc.fill(0);
      let bestDist = Infinity;
      for (let dy = -RADIUS; dy <= RADIUS; dy++) {
        const py = y + dy;
        if (py < 0 || py >= height) continue;
        for (let dx = -RADIUS; dx <= RADIUS; dx++) {
          const px = x + dx;
          if (px < 0 || px >= width) continue;
          const p = py * width + px;
          const q = field[p]!;
          if (q < 0) continue;
          const s = (q - p + i) * CHANNELS;
          if (bestOnly) {
            if (dist[p]! < bestDist) {
              bestDist = dist[p]!;
              for (let c = 0; c < CHANNELS; c++) next[c] = data[s + c]!;
            }
            continue;
          }
          const w = weighted ? Math.exp(-dist[p]! / scale) : 1;
          wsum += w;
          for (let c = 0; c < CHANNELS; c++) acc[c]! += w * data[s + c]!;
        }
      }
      if (bestOnly) {
        if (bestDist < Infinity) data.set(next, i * CHANNELS);
      } else if (wsum > 0) {
        for (let c = 0; c < CHANNELS; c++) data[i * CHANNELS + c] = Math.round(acc[c]! / wsum);
      }
    }
  }
}
