import { mulberry32 } from "../seeded-random";
import { knownFirstDistance, patchDistance, type PatchDistance } from "./patch-distance";
import { CHANNELS, FEATURE, RADIUS, shared, type Level } from "./pyramid";

/**
 * Each level's targets are cut into this many bands of rows. The count is fixed, not the number
 * of threads, so a seed gives the same bytes on any machine: every band draws from its own
 * random stream and propagates matches only within itself.
 */
export const BANDS = 8;

/** Everything a thread needs to work on bands of one level; arrays are shared memory. */
export interface LevelState {
  level: Level;
  /** Centres of every patch that overlaps the hole, in row-major order. */
  targets: Int32Array;
  /** For each target, the centre of its best-matching valid patch. */
  field: Int32Array;
  dist: Float32Array;
  weight: Float32Array;
  /** After a best-only vote: the pixel each hole pixel was copied from (-1 where none). */
  source: Int32Array;
  /** Band b covers `targets[bandStart[b]] … targets[bandStart[b + 1] - 1]`. */
  bandStart: Int32Array;
  /** Band b covers rows `bandRow[b]` up to `bandRow[b + 1]`. */
  bandRow: Int32Array;
  /** Seeds the bands' random streams together with the level and step. */
  seed: number;
  levelIndex: number;
  /** Added to the distance of a match with each source patch (see `rarityPenalty`, `contextCost`); empty for none. */
  sourcePenalty: Float32Array;
}

/** One step of an EM round, run band by band (bands of one step never depend on each other). */
export type BandTask =
  | { kind: "distances"; knownFirst: boolean }
  | { kind: "improve"; round: number; pass: number; knownFirst: boolean; searchRadius: number }
  | { kind: "weights"; weighted: boolean; scale: number }
  | { kind: "vote"; bestOnly: boolean };

/**
 * Prepares a level's shared state, with bands holding about equal numbers of targets.
 *
 * @example
 * ```ts
 * const state = createLevelState(level, targets, seed, index);
 * ```
 */
export function createLevelState(
  level: Level,
  targets: Int32Array,
  seed: number,
  levelIndex: number,
  sourcePenalty: Float32Array = new Float32Array(0),
): LevelState {
  const size = level.width * level.height;
  const bandRow = shared.ints(BANDS + 1);
  const bandStart = shared.ints(BANDS + 1);
  bandRow[BANDS] = level.height;
  bandStart[BANDS] = targets.length;
  for (let b = 1; b < BANDS; b++) {
    const at = Math.floor((b * targets.length) / BANDS);
    const row = targets.length ? Math.floor(targets[Math.min(at, targets.length - 1)]! / level.width) : 0;
    bandRow[b] = Math.max(bandRow[b - 1]!, row);
  }
  for (let b = 1, k = 0; b < BANDS; b++) {
    while (k < targets.length && targets[k]! < bandRow[b]! * level.width) k++;
    bandStart[b] = k;
  }
  const field = shared.ints(size).fill(-1);
  return {
    level,
    targets,
    field,
    dist: shared.floats(size),
    weight: shared.floats(size),
    source: shared.ints(size).fill(-1),
    bandStart,
    bandRow,
    seed,
    levelIndex,
    sourcePenalty,
  };
}

/**
 * Runs one task on one band.
 *
 * @example
 * ```ts
 * for (let band = 0; band < BANDS; band++) runBandTask(state, { kind: "distances", knownFirst: false }, band);
 * ```
 */
export function runBandTask(state: LevelState, task: BandTask, band: number): void {
  switch (task.kind) {
    case "distances": {
      const distance = withPenalty(task.knownFirst ? knownFirstDistance : patchDistance, state.sourcePenalty);
      const { level, targets, field, dist } = state;
      for (let k = state.bandStart[band]!; k < state.bandStart[band + 1]!; k++) {
        const p = targets[k]!;
        dist[p] = distance(level, p, field[p]!, Infinity);
      }
      return;
    }
    case "improve":
      return improveBand(state, band, task);
    case "weights": {
      const { targets, dist, weight } = state;
      const { confidence } = state.level;
      for (let k = state.bandStart[band]!; k < state.bandStart[band + 1]!; k++) {
        const p = targets[k]!;
        weight[p] = (task.weighted ? Math.exp(-dist[p]! / task.scale) : 1) * confidence[p]!;
      }
      return;
    }
    case "vote":
      return voteBand(state, band, task.bestOnly);
  }
}

/** `distance` plus the source patch's penalty, or `distance` itself when there is none. */
function withPenalty(distance: PatchDistance, penalty: Float32Array): PatchDistance {
  if (!penalty.length) return distance;
  return (level, p, q, limit) => {
    const extra = penalty[q]!;
    return distance(level, p, q, limit - extra) + extra;
  };
}

function bandRandom(state: LevelState, band: number, round: number, pass: number): () => number {
  const mixed =
    state.seed ^
    Math.imul(state.levelIndex + 1, 0x9e3779b1) ^
    Math.imul(round * 2 + pass + 1, 0x85ebca6b) ^
    Math.imul(band + 1, 0xc2b2ae35);
  return mulberry32(mixed >>> 0);
}

/** One PatchMatch sweep over a band: propagation from the scan's previous neighbours, then random search. */
function improveBand(
  state: LevelState,
  band: number,
  task: { round: number; pass: number; knownFirst: boolean; searchRadius: number },
): void {
  const { level, targets, field, dist } = state;
  const distance = withPenalty(task.knownFirst ? knownFirstDistance : patchDistance, state.sourcePenalty);
  const { width, height, valid } = level;
  const random = bandRandom(state, band, task.round, task.pass);
  const reverse = (task.round + task.pass) % 2 === 1;
  const step = reverse ? -1 : 1;
  const first = state.bandStart[band]!;
  const last = state.bandStart[band + 1]! - 1;
  const rowLo = state.bandRow[band]!;
  const rowHi = state.bandRow[band + 1]!;
  for (let k = reverse ? last : first; k >= first && k <= last; k += step) {
    const p = targets[k]!;
    let best = field[p]!;
    let bestDist = dist[p]!;
    const px = p % width;
    const py = (p - px) / width;
    for (let n = 0; n < 2; n++) {
      // Only neighbours in this band: another band may be changing its own at the same time.
      if (n === 0 ? px - step < 0 || px - step >= width : py - step < rowLo || py - step >= rowHi) continue;
      const neighbour = n === 0 ? p - step : p - step * width;
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
    for (let radius = task.searchRadius; radius >= 1; radius >>= 1) {
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
 * Re-estimates the band's hole pixels from the patches that cover them, weighted by patch
 * similarity and confidence (Wexler et al.); with `bestOnly` each pixel instead takes the value
 * proposed by its single best-matching patch, which keeps texture sharp where an average would
 * blur it. Sources are always known pixels, so bands can vote at the same time.
 */
function voteBand(state: LevelState, band: number, bestOnly: boolean): void {
  const { level, field, dist, weight, source } = state;
  const { width, height, data, hole } = level;
  for (let y = state.bandRow[band]!; y < state.bandRow[band + 1]!; y++) {
    const y0 = Math.max(0, y - RADIUS);
    const y1 = Math.min(height - 1, y + RADIUS);
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!hole[i]) continue;
      const x0 = Math.max(0, x - RADIUS);
      const x1 = Math.min(width - 1, x + RADIUS);
      // Channels unrolled: this loop runs 49 times per hole pixel per vote.
      let wsum = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      let t = 0;
      let bestDist = Infinity;
      let bestSource = -1;
      for (let py = y0; py <= y1; py++) {
        for (let px = x0; px <= x1; px++) {
          const p = py * width + px;
          const q = field[p]!;
          if (q < 0) continue;
          if (bestOnly) {
            if (dist[p]! < bestDist) {
              bestDist = dist[p]!;
              bestSource = q - p + i;
            }
            continue;
          }
          const s = (q - p + i) * CHANNELS;
          const w = weight[p]!;
          wsum += w;
          r += w * data[s]!;
          g += w * data[s + 1]!;
          b += w * data[s + 2]!;
          a += w * data[s + 3]!;
          t += w * data[s + FEATURE]!;
        }
      }
      const o = i * CHANNELS;
      if (bestOnly) {
        if (bestSource >= 0) data.copyWithin(o, bestSource * CHANNELS, bestSource * CHANNELS + CHANNELS);
        source[i] = bestSource;
      } else if (wsum > 0) {
        data[o] = Math.round(r / wsum);
        data[o + 1] = Math.round(g / wsum);
        data[o + 2] = Math.round(b / wsum);
        data[o + 3] = Math.round(a / wsum);
        data[o + FEATURE] = Math.round(t / wsum);
      }
    }
  }
}
