import type { BinaryMask, RasterImage } from "@retouch/core";
import { gaussian, mulberry32 } from "../seeded-random";

/** Width, in pixels, of the ring of known pixels around the hole whose noise is measured. */
const RING_WIDTH = 4;
/** Grain never falls below this deviation, so variants differ even around a flat area. */
const MIN_DEVIATION = 1;
/** Largest |4·I − sum of 4 neighbours| for 8-bit values. */
const MAX_RESIDUAL = 1020;

/** Per-channel (R, G, B) deviation of grain, in 8-bit levels. */
export type GrainDeviation = readonly [number, number, number];

/**
 * Measures the pixel-level noise of the known pixels in a ring around the hole, per colour
 * channel. The residual of each pixel against the mean of its 4 neighbours isolates the highest
 * frequencies; its median absolute value (robust to edges) gives the deviation, scaled for a
 * Gaussian (×1.4826) and for the neighbours' share of the residual (÷√1.25).
 */
export function measureGrain(image: RasterImage, mask: BinaryMask): GrainDeviation {
  const { width, height } = image;
  const ring = dilate(mask, RING_WIDTH);
  const histogram = new Uint32Array(3 * (MAX_RESIDUAL + 1));
  let samples = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (ring[i] === 0 || mask.data[i] !== 0) continue;
      const l = i - 1;
      const r = i + 1;
      const u = i - width;
      const d = i + width;
      if (mask.data[l] !== 0 || mask.data[r] !== 0 || mask.data[u] !== 0 || mask.data[d] !== 0) continue;
      samples++;
      for (let c = 0; c < 3; c++) {
        const around =
          image.data[l * 4 + c]! + image.data[r * 4 + c]! + image.data[u * 4 + c]! + image.data[d * 4 + c]!;
        const residual = Math.abs(4 * image.data[i * 4 + c]! - around);
        histogram[c * (MAX_RESIDUAL + 1) + residual]!++;
      }
    }
  }
  const deviation = (c: number) => {
    if (samples === 0) return MIN_DEVIATION;
    let seen = 0;
    for (let v = 0; v <= MAX_RESIDUAL; v++) {
      seen += histogram[c * (MAX_RESIDUAL + 1) + v]!;
      if (seen * 2 >= samples) return Math.max(MIN_DEVIATION, (1.4826 * (v / 4)) / Math.sqrt(1.25));
    }
    return MIN_DEVIATION;
  };
  return [deviation(0), deviation(1), deviation(2)];
}

/**
 * A copy of `filled` with seeded Gaussian grain added inside the hole: one sample per pixel,
 * scaled per channel (grain like film's, light and dark rather than coloured). Alpha is left
 * alone. The same seed gives the same bytes.
 */
export function addGrain(
  filled: Uint8Array,
  mask: BinaryMask,
  deviation: GrainDeviation,
  seed: number,
): Uint8Array {
  const out = new Uint8Array(filled);
  const normal = gaussian(mulberry32(seed));
  for (let i = 0; i < mask.data.length; i++) {
    if (mask.data[i] === 0) continue;
    const sample = normal();
    for (let c = 0; c < 3; c++) {
      const value = out[i * 4 + c]! + deviation[c]! * sample;
      out[i * 4 + c] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
    }
  }
  return out;
}

/** Pixels within `radius` (Chebyshev distance) of a painted pixel: two separable sweeps. */
function dilate(mask: BinaryMask, radius: number): Uint8Array {
  const { width, height, data } = mask;
  const rows = new Uint8Array(data.length);
  const out = new Uint8Array(data.length);
  const sweep = (source: Uint8Array, target: Uint8Array, start: number, step: number, length: number) => {
    let since = Infinity;
    for (let k = 0, i = start; k < length; k++, i += step) {
      since = source[i] !== 0 ? 0 : since + 1;
      if (since <= radius) target[i] = 1;
    }
    since = Infinity;
    for (let k = length - 1, i = start + (length - 1) * step; k >= 0; k--, i -= step) {
      since = source[i] !== 0 ? 0 : since + 1;
      if (since <= radius) target[i] = 1;
    }
  };
  for (let y = 0; y < height; y++) sweep(data, rows, y * width, 1, width);
  for (let x = 0; x < width; x++) sweep(rows, out, x, width, height);
  return out;
}
