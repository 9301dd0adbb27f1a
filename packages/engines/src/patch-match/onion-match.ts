import { weightedPatchDistance } from "./patch-distance";
import { CHANNELS, PATCH_PIXELS, forEachRing, type Level } from "./pyramid";

/**
 * Candidate patch-pixel comparisons allowed for the whole fill: small coarsest levels are
 * searched almost exhaustively; a large one (long thin strokes keep the pyramid shallow) gets
 * fewer random candidates per pixel and leans on the ones its filled neighbours propose.
 */
const COMPARISON_BUDGET = 40_000_000;
const MAX_CANDIDATES = 1024;
const MIN_CANDIDATES = 16;

/**
 * The coarsest level's first guess (Newson et al., 2014): the hole is filled ring by ring from
 * its edge inwards, each pixel taking the centre of the known patch that best matches the
 * pixels of its own patch known so far. Guessed pixels are never compared, so the guess is real
 * texture rather than the smooth average an interpolating guess gives — which PatchMatch would
 * then match with flat patches. A ring is decided from the pixels known before it, so the result
 * does not depend on scan order.
 *
 * Candidates are the patches its filled neighbours' sources propose plus, given `offsets`
 * (`[dx, dy, …]`, see `dominantOffsets`), the patch at each of those offsets — He and Sun's
 * (2012) remedy for a random candidate's habit of pasting a lone nearby object (a head, an eye)
 * into a wide hole. Where no offset lands on a known patch, or none are given, `random` picks
 * candidates anywhere.
 *
 * `unknown` (1 where not filled yet, the whole hole by default; updated in place) lets it finish
 * what `labelByOffsets` left: a comparison leaves out only those pixels. Returns where each
 * pixel it filled was copied from (-1 elsewhere).
 *
 * @example
 * ```ts
 * onionMatch(levels.at(-1)!, mulberry32(seed), dominantOffsets(matchKnownPatches(levels.at(-1)!, mulberry32(seed))));
 * ```
 */
export function onionMatch(
  level: Level,
  random: () => number,
  offsets: Int32Array = new Int32Array(0),
  unknown: Uint8Array = level.hole.slice(),
): Int32Array {
  const { width, height, data, validList } = level;
  const size = width * height;
  let holeCount = 0;
  for (let i = 0; i < size; i++) holeCount += unknown[i]!;
  const candidates = Math.max(
    MIN_CANDIDATES,
    Math.min(MAX_CANDIDATES, validList.length, Math.floor(COMPARISON_BUDGET / (holeCount * PATCH_PIXELS))),
  );
  // Where each filled hole pixel was copied from, so its neighbours can try the adjacent source.
  const source = new Int32Array(size).fill(-1);
  const chosen = new Int32Array(holeCount);
  forEachRing(level, unknown, (ring, ringLength) => {
    for (let k = 0; k < ringLength; k++) {
      const p = ring[k]!;
      let best = -1;
      let bestDist = Infinity;
      const consider = (q: number) => {
        if (q === best) return;
        const d = weightedPatchDistance(level, p, q, bestDist, unknown, 0);
        if (d < bestDist) {
          best = q;
          bestDist = d;
        }
      };
      const px = p % width;
      const py = (p - px) / width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = px + dx;
          const ny = py + dy;
          if ((!dx && !dy) || nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const from = source[ny * width + nx]!;
          if (from < 0) continue;
          const qx = (from % width) - dx;
          const qy = Math.floor(from / width) - dy;
          if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
          if (level.valid[qy * width + qx]) consider(qy * width + qx);
        }
      }
      for (let o = 0; o < offsets.length; o += 2) {
        const qx = px + offsets[o]!;
        const qy = py + offsets[o + 1]!;
        if (qx >= 0 && qy >= 0 && qx < width && qy < height && level.valid[qy * width + qx])
          consider(qy * width + qx);
      }
      // Random candidates where no offset lands on a known patch (or none were given).
      if (best < 0)
        for (let c = 0; c < candidates; c++) consider(validList[Math.floor(random() * validList.length)]!);
      chosen[k] = best;
    }
    for (let k = 0; k < ringLength; k++) {
      const p = ring[k]!;
      data.copyWithin(p * CHANNELS, chosen[k]! * CHANNELS, chosen[k]! * CHANNELS + CHANNELS);
      source[p] = chosen[k]!;
    }
  });
  return source;
}
