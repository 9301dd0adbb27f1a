import type { FillInput } from "./patch-match-fill";

/** Patch radius: 7×7 patches, large enough to carry texture, small enough to fit thin gaps. */
export const RADIUS = 3;
/** Pixels in a patch. */
export const PATCH_PIXELS = (2 * RADIUS + 1) ** 2;
/** The pyramid stops before a level's shorter side falls under this many pixels. */
const COARSEST_SIDE = 24;
/**
 * Level pixels carry RGBA plus a texture feature (local gradient energy, Newson et al., 2014).
 * Plain colour distance prefers smooth source patches — a flat patch of the right mean is closer
 * to any texture than a misaligned copy of the same texture — so fills come out smooth; matching
 * the feature too keeps textured surroundings textured inside the hole.
 */
export const CHANNELS = 5;
export const FEATURE = 4;

/**
 * One pyramid level. Its arrays live in `SharedArrayBuffer`s so helper threads can work on bands
 * of the same level without copies.
 */
export interface Level {
  width: number;
  height: number;
  /** `CHANNELS` per pixel; hole pixels hold the current estimate. */
  data: Uint8Array;
  hole: Uint8Array;
  /** 1 where a patch centred here lies inside the image and touches no hole pixel. */
  valid: Uint8Array;
  validList: Int32Array;
  /** The largest chessboard distance from a hole pixel to the nearest known pixel. */
  depth: number;
  /** How far to trust a patch centred at each pixel in the vote (1 outside the hole, less deeper in). */
  confidence: Float32Array;
}

/**
 * A patch's vote counts this many times less per pixel its centre lies deeper inside the hole
 * (Wexler et al.'s confidence): patches near the edge overlap known pixels and are reliable,
 * deep ones only echo guesses.
 */
const CONFIDENCE_DECAY = 1.6;
/** Beyond this depth the confidence stays level: only neighbours' relative weights matter, and it keeps floats normal. */
const CONFIDENCE_DEPTH = 24;

/** Typed arrays over shared memory (usable on one thread too). */
export const shared = {
  bytes: (length: number) => new Uint8Array(new SharedArrayBuffer(length)),
  ints: (length: number) => new Int32Array(new SharedArrayBuffer(length * 4)),
  floats: (length: number) => new Float32Array(new SharedArrayBuffer(length * 4)),
};

/** Holes reaching further than this many pixels from known ones (a box, not a stroke) are deep. */
export const DEEP_HOLE = 48;

/**
 * Levels go down only as far as the hole needs: until its deepest pixel is within about one
 * patch width of known pixels, or two for a deep hole. Going coarser than that helps wide holes
 * find their overall structure but swallows thin strokes whole at the coarse levels, whose
 * guesses then mislead the finer ones; and it shrinks a deep hole's neighbours to a few pixels
 * each, so a single patch there spans a whole object (a head, an eye) and copies it into the
 * hole. Returns the levels, finest first, and that deepest distance in pixels.
 */
export function buildPyramid(input: FillInput): { levels: Level[]; depth: number } {
  const hole = hole01(input.hole);
  const first = makeLevel(
    input.width,
    input.height,
    withFeature(input.width, input.height, input.data, hole),
    hole,
  );
  const levels = [first];
  const coarsestDepth = (first.depth > DEEP_HOLE ? 2 : 1) * (2 * RADIUS);
  const wanted = Math.max(0, Math.ceil(Math.log2(first.depth / coarsestDepth)));
  let current = first;
  while (levels.length <= wanted && Math.min(current.width, current.height) >= 2 * COARSEST_SIDE) {
    const next = downsample(current);
    if (next.validList.length === 0) break;
    levels.push(next);
    current = next;
  }
  return { levels, depth: first.depth };
}

/**
 * For every pixel, the chessboard distance to the nearest known pixel (0 outside the hole),
 * by a two-pass transform.
 *
 * @example
 * ```ts
 * const depth = holeDistances(level.width, level.height, level.hole); // depth[i] = 0 where known
 * ```
 */
export function holeDistances(width: number, height: number, hole: Uint8Array): Int32Array {
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
    }
  }
  return d;
}

function hole01(mask: Uint8Array): Uint8Array {
  const out = shared.bytes(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i] ? 1 : 0;
  return out;
}

function makeLevel(width: number, height: number, data: Uint8Array, hole: Uint8Array): Level {
  const valid = shared.bytes(width * height);
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
  const validList = shared.ints(count);
  for (let i = 0, k = 0; i < valid.length; i++) if (valid[i]) validList[k++] = i;
  const distances = holeDistances(width, height, hole);
  const confidence = shared.floats(width * height).fill(1);
  const byDepth = Float32Array.from({ length: CONFIDENCE_DEPTH + 1 }, (_, d) => CONFIDENCE_DECAY ** -d);
  let depth = 0;
  for (let i = 0; i < distances.length; i++) {
    if (!distances[i]) continue;
    confidence[i] = byDepth[Math.min(CONFIDENCE_DEPTH, distances[i]!)]!;
    depth = Math.max(depth, distances[i]!);
  }
  return { width, height, data, hole, valid, validList, depth, confidence };
}

/** Halves a level: known pixels are averaged; a coarse pixel with any hole child is a hole. */
function downsample(level: Level): Level {
  const width = level.width >> 1;
  const height = level.height >> 1;
  const data = shared.bytes(width * height * CHANNELS);
  const hole = shared.bytes(width * height);
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

export function toRgba(level: Level): Uint8Array {
  const out = new Uint8Array(level.width * level.height * 4);
  for (let i = 0, o = 0; o < out.length; i += CHANNELS, o += 4) {
    out[o] = level.data[i]!;
    out[o + 1] = level.data[i + 1]!;
    out[o + 2] = level.data[i + 2]!;
    out[o + 3] = level.data[i + 3]!;
  }
  return out;
}

/** Level data from RGBA: the colours, and the texture feature of every known pixel. */
function withFeature(width: number, height: number, rgba: Uint8Array, hole: Uint8Array): Uint8Array {
  const data = shared.bytes(width * height * CHANNELS);
  for (let i = 0, o = 0; i < rgba.length; i += 4, o += CHANNELS) {
    data[o] = rgba[i]!;
    data[o + 1] = rgba[i + 1]!;
    data[o + 2] = rgba[i + 2]!;
    data[o + 3] = rgba[i + 3]!;
  }
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
 * Walks the hole ring by ring from its edge inwards. `visit(ring, length)` sets the ring's
 * pixels, reading only pixels not marked in `unknown`; then the ring counts as known (its
 * `unknown` entries are cleared) and the next ring is the unknown pixels touching it. Every ring
 * is decided from the pixels known before it, so a visit that treats its pixels alike gives a
 * result independent of scan order. Typed arrays only, no per-pixel allocation.
 *
 * @example
 * ```ts
 * const unknown = level.hole.slice();
 * forEachRing(level, unknown, (ring, length) => { for (let k = 0; k < length; k++) guess(ring[k]!); });
 * ```
 */
export function forEachRing(
  level: Pick<Level, "width" | "height">,
  unknown: Uint8Array,
  visit: (ring: Int32Array, length: number) => void,
): void {
  const { width, height } = level;
  const size = width * height;
  let holeCount = 0;
  for (let i = 0; i < size; i++) holeCount += unknown[i] ? 1 : 0;
  let ring = new Int32Array(holeCount);
  let next = new Int32Array(holeCount);
  const queued = new Uint8Array(size);
  let ringLength = 0;
  for (let i = 0; i < size; i++) {
    if (unknown[i] && touchesKnown(width, height, unknown, i)) {
      ring[ringLength++] = i;
      queued[i] = 1;
    }
  }
  while (ringLength) {
    visit(ring, ringLength);
    for (let k = 0; k < ringLength; k++) unknown[ring[k]!] = 0;
    let nextLength = 0;
    for (let k = 0; k < ringLength; k++) {
      const p = ring[k]!;
      const px = p % width;
      const py = (p - px) / width;
      for (let ny = Math.max(0, py - 1); ny <= Math.min(height - 1, py + 1); ny++) {
        for (let nx = Math.max(0, px - 1); nx <= Math.min(width - 1, px + 1); nx++) {
          const n = ny * width + nx;
          if (!unknown[n] || queued[n]) continue;
          queued[n] = 1;
          next[nextLength++] = n;
        }
      }
    }
    [ring, next] = [next, ring];
    ringLength = nextLength;
  }
}

function touchesKnown(width: number, height: number, unknown: Uint8Array, i: number): boolean {
  const x = i % width;
  const y = (i - x) / width;
  for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
    for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
      if (!unknown[ny * width + nx]) return true;
    }
  }
  return false;
}

/**
 * A first guess for the coarsest level: each ring of the hole takes the mean of its known
 * neighbours (see {@link forEachRing}). Typed arrays only: this also runs at full resolution on
 * tiny images. Pixels with no known pixel anywhere are left as they are.
 */
export function onionPeel(level: Level): void {
  const { width, height, data } = level;
  const unknown = level.hole.slice();
  const sum = new Float64Array(CHANNELS);
  forEachRing(level, unknown, (ring, length) => {
    for (let k = 0; k < length; k++) {
      const i = ring[k]!;
      const x = i % width;
      const y = (i - x) / width;
      let n = 0;
      sum.fill(0);
      for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
        for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
          const j = ny * width + nx;
          if (unknown[j]) continue;
          n++;
          for (let c = 0; c < CHANNELS; c++) sum[c]! += data[j * CHANNELS + c]!;
        }
      }
      for (let c = 0; c < CHANNELS; c++) data[i * CHANNELS + c] = Math.round(sum[c]! / n);
    }
  });
}

/** Centres of every patch that overlaps the hole: the hole dilated by the patch radius. */
export function targetPixels(level: Level): Int32Array {
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
  const list = shared.ints(count);
  for (let i = 0, k = 0; i < mark.length; i++) if (mark[i]) list[k++] = i;
  return list;
}

export function randomValid(level: Level, random: () => number): number {
  return level.validList[Math.floor(random() * level.validList.length)]!;
}
