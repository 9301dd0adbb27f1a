import { CHANNELS, type Level } from "./pyramid";

/** Colour channels corrected; alpha and the texture feature are left as copied. */
const CORRECTED = 3;
/** Successive over-relaxation factor: converges in about as many sweeps as the hole is deep. */
const OMEGA = 1.9;

/**
 * Removes the seams of a copied fill (Poisson image editing, Pérez et al., 2003): each hole pixel
 * was copied from `source[i]`, so across every hole edge the copy "expected" the neighbour its
 * source had, not the neighbour the photo has. A smooth correction that is harmonic inside the
 * hole and equals those differences at its edges is added to the copy: colour and brightness
 * then meet the surroundings while the copied texture (its gradients) is kept.
 *
 * @example
 * ```ts
 * matchSeams(level, state.source, sweeps);
 * ```
 */
export function matchSeams(level: Level, source: Int32Array, sweeps: number): void {
  const { width, height, data, hole } = level;
  const holes: number[] = [];
  for (let i = 0; i < hole.length; i++) if (hole[i] && source[i]! >= 0) holes.push(i);
  if (holes.length === 0) return;
  const correction = new Float32Array(width * height * CORRECTED);
  const target = new Float64Array(CORRECTED);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (const i of holes) {
      const x = i % width;
      const y = (i - x) / width;
      const from = source[i]!;
      target.fill(0);
      let n = 0;
      for (let k = 0; k < 4; k++) {
        const dx = k === 0 ? -1 : k === 1 ? 1 : 0;
        const dy = k === 2 ? -1 : k === 3 ? 1 : 0;
        if (x + dx < 0 || x + dx >= width || y + dy < 0 || y + dy >= height) continue;
        const j = i + dy * width + dx;
        n++;
        if (hole[j] && source[j]! >= 0) {
          for (let c = 0; c < CORRECTED; c++) target[c]! += correction[j * CORRECTED + c]!;
        } else {
          const sx = (from % width) + dx;
          const sy = Math.floor(from / width) + dy;
          if (sx < 0 || sx >= width || sy < 0 || sy >= height) {
            n--;
            continue;
          }
          // The photo's neighbour minus the neighbour the copy came with.
          const expected = sy * width + sx;
          for (let c = 0; c < CORRECTED; c++) {
            target[c]! += data[j * CHANNELS + c]! - data[expected * CHANNELS + c]!;
          }
        }
      }
      if (n === 0) continue;
      for (let c = 0; c < CORRECTED; c++) {
        const at = i * CORRECTED + c;
        correction[at] = correction[at]! + OMEGA * (target[c]! / n - correction[at]!);
      }
    }
  }
  for (const i of holes) {
    for (let c = 0; c < CORRECTED; c++) {
      const value = data[i * CHANNELS + c]! + correction[i * CORRECTED + c]!;
      data[i * CHANNELS + c] = Math.min(255, Math.max(0, Math.round(value)));
    }
  }
}
