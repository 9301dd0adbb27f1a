import { mulberry32 } from "../seeded-random";
import { BANDS, createLevelState, runBandTask, type BandTask, type LevelState } from "./band-tasks";
import { matchSeams } from "./match-seams";
import { labelByOffsets } from "./offset-labelling";
import { onionMatch } from "./onion-match";
import { contextCost, dominantOffsets, matchKnownPatches, rarityPenalty } from "./self-similarity";
import {
  DEEP_HOLE,
  PATCH_PIXELS,
  buildPyramid,
  onionPeel,
  randomValid,
  targetPixels,
  toRgba,
  type Level,
} from "./pyramid";

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

/** Runs a band task on every band of the current level, on one thread or several. */
export interface BandExecutor {
  setLevel(state: LevelState): void;
  /** Returns once every band has finished the task. */
  runAll(task: BandTask): void;
}

/**
 * Runs every band on the calling thread.
 *
 * @example
 * ```ts
 * patchMatchFill(input, hooks, sequentialBands());
 * ```
 */
export function sequentialBands(): BandExecutor {
  let current: LevelState | null = null;
  return {
    setLevel: (state) => (current = state),
    runAll(task) {
      for (let band = 0; band < BANDS; band++) runBandTask(current!, task, band);
    },
  };
}

/** Random-search radius on levels that start from a coarser level's matches. */
const FINE_SEARCH_RADIUS = 32;

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
export function patchMatchFill(
  input: FillInput,
  hooks: FillHooks,
  bands: BandExecutor = sequentialBands(),
): Uint8Array {
  const random = mulberry32(input.seed);
  const { levels, depth } = buildPyramid(input);
  if (levels[0]!.validList.length === 0) {
    // No whole patch outside the hole (a tiny image or a nearly full mask): fill ring by ring.
    onionPeel(levels[0]!);
    hooks.onProgress(1);
    return toRgba(levels[0]!);
  }
  // A deep hole (a box over an object) starts from real texture, copied by the image's own
  // dominant offsets, searches its coarsest level with rare (object) patches charged extra, and
  // keeps its coarsest votes sharp: averaging there blurs the guess until flat patches match it
  // best, and it grows copies of nearby objects. Thin holes do better from the smooth guess
  // (see the benchmark).
  const deep = depth > DEEP_HOLE;
  const guidance = deep ? coarsestGuidance(levels, random) : null;
  // Where the coarsest guess copied each hole pixel from: the coarsest search starts there.
  let start: Int32Array | null = null;
  if (guidance) start = deepStart(levels[levels.length - 1]!, guidance, random);
  else onionPeel(levels[levels.length - 1]!);

  const work = levels.map((level) => level.width * level.height);
  const totalWork = work.reduce((sum, value) => sum + value, 0);
  let done = 0;

  let previous: LevelState | null = null;
  for (let index = levels.length - 1; index >= 0; index--) {
    const level = levels[index]!;
    const penalty = index === levels.length - 1 ? guidance?.penalty : undefined;
    const state = createLevelState(level, targetPixels(level), input.seed, index, penalty);
    if (previous) upsampleField(previous.level, previous.field, level, state.targets, state.field, random);
    else startField(level, state.targets, state.field, random, start);
    bands.setLevel(state);
    if (previous) {
      bands.runAll({ kind: "weights", weighted: false, scale: 1 });
      bands.runAll({ kind: "vote", bestOnly: false });
    }

    const finest = index === 0;
    // Coarser levels already found where each part of the hole comes from; finer levels only
    // refine near those matches, so their random search stays local.
    const widest = Math.max(level.width, level.height);
    const searchRadius = previous ? Math.min(FINE_SEARCH_RADIUS, widest) : widest;
    const rounds = emRounds(finest && previous !== null, levels.length - index <= 2, state.targets.length);
    for (let round = 0; round < rounds; round++) {
      // The coarsest level starts from a smooth guess; matching its first round mostly on the
      // known pixels picks real texture instead of patches as smooth as that guess.
      const knownFirst = !previous && round === 0;
      bands.runAll({ kind: "distances", knownFirst });
      for (let pass = 0; pass < 2; pass++) {
        bands.runAll({ kind: "improve", round, pass, knownFirst, searchRadius });
      }
      bands.runAll({ kind: "weights", weighted: true, scale: distanceScale(state) });
      bands.runAll({ kind: "vote", bestOnly: (finest && round === rounds - 1) || (!previous && deep) });
      // Per round, not per level: the finest level alone is most of the work.
      hooks.onProgress((done + (work[index]! * (round + 1)) / rounds) / totalWork);
    }
    done += work[index]!;
    previous = state;
  }
  matchSeams(levels[0]!, previous!.source);
  return toRgba(levels[0]!);
}

/** What a deep hole's coarsest level is guided by (see `coarsestGuidance`). */
interface Guidance {
  offsets: Int32Array;
  penalty: Float32Array;
  /** Per coarsest pixel, what copying it costs in the start (`contextCost`); only when extending the photo. */
  context?: Float32Array;
}

/** The image's self-similarity is measured on the widest level no wider than this. */
const SELF_SIMILARITY_SIDE = 128;

/**
 * What a deep hole's coarsest level learns from how the image repeats itself, measured on a
 * finer level (the coarsest has too few patches for statistics) and scaled down to it: the
 * dominant offsets its start copies by, the rarity penalty its search adds and, when the photo
 * is being extended, what copying each pixel into the margins costs.
 */
function coarsestGuidance(levels: Level[], random: () => number): Guidance {
  const coarsest = levels.length - 1;
  const found = levels.findIndex((level) => Math.max(level.width, level.height) <= SELF_SIMILARITY_SIDE);
  const measured = found < 0 ? coarsest : found;
  const matches = matchKnownPatches(levels[measured]!, random);
  const scale = 2 ** (coarsest - measured);
  const offsets = dominantOffsets(matches);
  const seen = new Set<number>();
  const scaled: number[] = [];
  for (let o = 0; o < offsets.length; o += 2) {
    const dx = Math.round(offsets[o]! / scale);
    const dy = Math.round(offsets[o + 1]! / scale);
    const key = dy * 2 * levels[coarsest]!.width + dx;
    if ((dx || dy) && !seen.has(key)) {
      seen.add(key);
      scaled.push(dx, dy);
    }
  }
  const penalty = rarityPenalty(matches, levels[coarsest]!, scale);
  if (!extendsFrame(levels[0]!)) return { offsets: Int32Array.from(scaled), penalty };
  // Margins grown around a photo are filled from what lies along its edges, its subject charged
  // extra in the start and the coarsest search alike (see `contextCost`).
  const context = contextCost(levels[measured]!, random, levels[coarsest]!, scale);
  context.forEach((cost, q) => (penalty[q]! += cost * PATCH_PIXELS));
  return { offsets: Int32Array.from(scaled), penalty, context };
}

/** Whether the hole covers a whole side of the image: the photo is being extended (outpainting). */
function extendsFrame({ width, height, hole }: Level): boolean {
  let top = true;
  let bottom = true;
  let left = true;
  let right = true;
  for (let x = 0; x < width; x++) {
    top &&= hole[x]! > 0;
    bottom &&= hole[(height - 1) * width + x]! > 0;
  }
  for (let y = 0; y < height; y++) {
    left &&= hole[y * width]! > 0;
    right &&= hole[y * width + width - 1]! > 0;
  }
  return top || bottom || left || right;
}

/**
 * EM rounds for a level: the coarsest levels search the most; the finest refines what coarser
 * levels found. Large levels (a 2048² photo's strokes) take fewer rounds: their coarser levels
 * already did the search, and each of their rounds costs as much as all coarser ones together.
 */
function emRounds(refinesCoarser: boolean, coarsest: boolean, targets: number): number {
  if (refinesCoarser) return targets > 200_000 ? 2 : 3;
  if (coarsest) return targets > 50_000 ? 4 : 6;
  return 4;
}

/** The vote's weight scale: the 75th percentile of a sample of the targets' match distances. */
function distanceScale({ targets, dist }: LevelState): number {
  if (!targets.length) return 1;
  const sample = new Float32Array(Math.min(targets.length, 4096));
  for (let i = 0; i < sample.length; i++) {
    sample[i] = dist[targets[Math.floor((i * targets.length) / sample.length)]!]!;
  }
  sample.sort();
  return Math.max(1, sample[Math.floor(sample.length * 0.75)]!);
}

/**
 * A deep hole's coarsest guess: pieces of the image copied by its dominant offsets, joined where
 * they agree (`labelByOffsets`); the onion match fills what no offset reaches. Returns where each
 * hole pixel was copied from.
 */
function deepStart(level: Level, { offsets, context }: Guidance, random: () => number): Int32Array {
  const labelled = labelByOffsets(level, offsets, random, context);
  const unknown = level.hole.map((inHole, p) => (inHole && labelled[p]! < 0 ? 1 : 0));
  const onion = onionMatch(level, random, offsets, unknown);
  return labelled.map((q, p) => (q >= 0 ? q : onion[p]!));
}

/** The coarsest level's first matches: the guess's own sources where it has them, random elsewhere. */
function startField(
  level: Level,
  targets: Int32Array,
  field: Int32Array,
  random: () => number,
  start: Int32Array | null,
): void {
  for (const p of targets) {
    const q = start ? start[p]! : -1;
    field[p] = q >= 0 && level.valid[q] ? q : randomValid(level, random);
  }
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
