import { CHANNELS, FEATURE, RADIUS, type Level } from "./pyramid";

/** How much a texture mismatch counts against a colour mismatch in the patch distance. */
const FEATURE_WEIGHT = 2;
const SIDE = 2 * RADIUS + 1;

/** Distance between the patches centred at p and q, allowed to stop early once past `limit`. */
export type PatchDistance = (level: Level, p: number, q: number, limit: number) => number;

/** Sum of squared differences between the patches at p (current estimate) and q, stopping past `limit`. */
export function patchDistance(level: Level, p: number, q: number, limit: number): number {
  const { width, height } = level;
  const px = p % width;
  const py = (p - px) / width;
  if (px >= RADIUS && py >= RADIUS && px < width - RADIUS && py < height - RADIUS) {
    return interiorPatchDistance(level.data, width, p, q, limit);
  }
  return weightedPatchDistance(level, p, q, limit, level.hole, 1);
}

/** Sum of squared differences with the guessed (hole) pixels of p's patch counting a tenth. */
export function knownFirstDistance(level: Level, p: number, q: number, limit: number): number {
  return weightedPatchDistance(level, p, q, limit, level.hole, 0.1);
}

/** `patchDistance` for a patch wholly inside the image: no bounds checks, indices stepped. */
function interiorPatchDistance(data: Uint8Array, width: number, p: number, q: number, limit: number): number {
  const rowSkip = (width - SIDE) * CHANNELS;
  let a = (p - RADIUS * width - RADIUS) * CHANNELS;
  let b = a + (q - p) * CHANNELS;
  let sum = 0;
  for (let dy = 0; dy < SIDE; dy++) {
    for (let dx = 0; dx < SIDE; dx++) {
      const dr = data[a]! - data[b]!;
      const dg = data[a + 1]! - data[b + 1]!;
      const db = data[a + 2]! - data[b + 2]!;
      const da = data[a + 3]! - data[b + 3]!;
      const dt = data[a + FEATURE]! - data[b + FEATURE]!;
      sum += dr * dr + dg * dg + db * db + da * da + FEATURE_WEIGHT * dt * dt;
      a += CHANNELS;
      b += CHANNELS;
    }
    if (sum > limit) return sum;
    a += rowSkip;
    b += rowSkip;
  }
  return sum;
}

/**
 * The general case: patches cut by the image border, pixels marked in `guessed` weighted by
 * `guessedWeight` (0 compares only the others).
 *
 * @example
 * ```ts
 * weightedPatchDistance(level, p, q, Infinity, level.hole, 0.1);
 * ```
 */
export function weightedPatchDistance(
  level: Level,
  p: number,
  q: number,
  limit: number,
  guessed: Uint8Array,
  guessedWeight: number,
): number {
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
      const i = y * width + x;
      const a = i * CHANNELS;
      const b = a + shift * CHANNELS;
      const dr = data[a]! - data[b]!;
      const dg = data[a + 1]! - data[b + 1]!;
      const db = data[a + 2]! - data[b + 2]!;
      const da = data[a + 3]! - data[b + 3]!;
      const dt = data[a + FEATURE]! - data[b + FEATURE]!;
      const squared = dr * dr + dg * dg + db * db + da * da + FEATURE_WEIGHT * dt * dt;
      sum += guessed[i] ? guessedWeight * squared : squared;
    }
    if (sum > limit) return sum;
  }
  return sum;
}
