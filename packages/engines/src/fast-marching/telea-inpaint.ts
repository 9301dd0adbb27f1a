import type { BinaryMask, RasterImage } from "@retouch/core";
import { PixelHeap } from "./pixel-heap";
import { yieldToEventLoop } from "./yield-to-event-loop";

/** How a fill reports progress and is stopped. */
export interface FillControl {
  signal: AbortSignal;
  /** Fraction of hole pixels filled so far, in [0, 1]. */
  onProgress(fraction: number): void;
}

/** Neighbourhood radius, in pixels, each filled pixel is estimated from (Telea's ε). */
export const FILL_RADIUS = 5;
/**
 * Largest change, in levels, a neighbour's gradient may add to its value. Smooth shading
 * changes a few levels per pixel and passes intact; the steep edge of a highlight or a texture
 * would otherwise be extrapolated into bright and dark blotches.
 */
const MAX_EXTRAPOLATION = 8;
/** Pixels marched between two yields to the event loop (a few milliseconds of work). */
const YIELD_EVERY = 20_000;

// Fast-marching states: KNOWN = arrival time final, BAND = reached but tentative, INSIDE = unreached.
const KNOWN = 0;
const BAND = 1;
const INSIDE = 2;
const FAR = 1e6;

/**
 * Fills the painted pixels of `mask` by Telea's fast-marching inpainting (A. Telea, "An Image
 * Inpainting Technique Based on the Fast Marching Method", 2004). The hole is filled from its
 * boundary inward in order of distance; each pixel p becomes a weighted mean of the known
 * pixels q within `FILL_RADIUS`, each extrapolated along its gradient, I(q) + ∇I(q)·(p − q),
 * weighted by direction (alignment with the boundary normal), level-set distance and geometric
 * distance. All four channels are filled alike. Every painted pixel gets a value as long as one
 * pixel is unpainted; the others are returned unchanged.
 *
 * Two guards keep the extrapolation from running away over large holes (outpaint margins):
 * each gradient step is limited to ±`MAX_EXTRAPOLATION` levels, and each estimate is kept within
 * the range of the neighbours' values, so no fill invents colours absent from its surroundings.
 *
 * Cooperative: yields to the event loop every `YIELD_EVERY` pixels, reports progress there and
 * throws `signal.reason` once aborted.
 */
export async function teleaInpaint(
  image: RasterImage,
  mask: BinaryMask,
  control: FillControl,
): Promise<Uint8Array> {
  const { width, height } = image;
  const pixels = width * height;
  const painted = mask.data;
  const out = new Uint8Array(image.data);
  const state = new Uint8Array(pixels);
  const time = new Float32Array(pixels).fill(FAR);
  const disc = discOffsets(FILL_RADIUS);
  const front = boundary(mask);
  let holeCount = 0;
  for (let i = 0; i < pixels; i++) if (painted[i] !== 0) holeCount++;
  if (holeCount === 0) return out;

  let work = 0;
  let filled = 0;
  const breathe = async () => {
    control.onProgress(filled / holeCount);
    await yieldToEventLoop(control.signal);
  };

  /** Arrival time at `q` from its accepted 4-neighbours: the upwind solution of |∇T| = 1. */
  const arrival = (q: number): number => {
    const x = q % width;
    let a = FAR;
    let b = FAR;
    if (q >= width && state[q - width] === KNOWN) a = time[q - width]!;
    if (q + width < pixels && state[q + width] === KNOWN) a = Math.min(a, time[q + width]!);
    if (x > 0 && state[q - 1] === KNOWN) b = time[q - 1]!;
    if (x < width - 1 && state[q + 1] === KNOWN) b = Math.min(b, time[q + 1]!);
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    if (high - low >= 1) return low + 1;
    return (low + high + Math.sqrt(2 - (high - low) * (high - low))) / 2;
  };

  /** Fills pixel p from the set pixels (not INSIDE) around it. */
  const estimate = (p: number) => {
    const x = p % width;
    const y = (p - x) / width;
    // The boundary normal at p is ∇T, from the neighbours whose time is set.
    const left = x > 0 && state[p - 1] !== INSIDE;
    const right = x < width - 1 && state[p + 1] !== INSIDE;
    const up = y > 0 && state[p - width] !== INSIDE;
    const down = y < height - 1 && state[p + width] !== INSIDE;
    const tp = time[p]!;
    let nx =
      left && right
        ? (time[p + 1]! - time[p - 1]!) / 2
        : right
          ? time[p + 1]! - tp
          : left
            ? tp - time[p - 1]!
            : 0;
    let ny =
      up && down
        ? (time[p + width]! - time[p - width]!) / 2
        : down
          ? time[p + width]! - tp
          : up
            ? tp - time[p - width]!
            : 0;
    const norm = Math.hypot(nx, ny);
    if (norm > 0) {
      nx /= norm;
      ny /= norm;
    }
    let r = 0;
    let g = 0;
    let b = 0;
    let a = 0;
    let total = 0;
    // The range of the neighbours' own values, per channel: the estimate stays inside it.
    let rLow = 255;
    let rHigh = 0;
    let gLow = 255;
    let gHigh = 0;
    let bLow = 255;
    let bHigh = 0;
    let aLow = 255;
    let aHigh = 0;
    for (let k = 0; k < disc.count; k++) {
      const qx = x + disc.dx[k]!;
      const qy = y + disc.dy[k]!;
      if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
      const q = qy * width + qx;
      if (state[q] === INSIDE) continue;
      const direction = norm > 0 ? Math.max(Math.abs(disc.ux[k]! * nx + disc.uy[k]! * ny), 0.01) : 1;
      const level = 1 / (1 + Math.abs(time[q]! - tp));
      const weight = direction * level * disc.inverseSquaredDistance[k]!;
      // ∇I(q): central differences where both sides are set, one-sided otherwise, 0 with neither.
      const ql = qx > 0 && state[q - 1] !== INSIDE ? q - 1 : q;
      const qr = qx < width - 1 && state[q + 1] !== INSIDE ? q + 1 : q;
      const qu = qy > 0 && state[q - width] !== INSIDE ? q - width : q;
      const qd = qy < height - 1 && state[q + width] !== INSIDE ? q + width : q;
      // (p − q)·∇I folded into two factors: p − q = −offset, halved for a central difference.
      const sx = (qr - ql === 2 ? -0.5 : -1) * disc.dx[k]!;
      const sy = (qd - qu === 2 * width ? -0.5 : -1) * disc.dy[k]!;
      const qi = q * 4;
      const li = ql * 4;
      const ri = qr * 4;
      const ui = qu * 4;
      const di = qd * 4;
      const qR = out[qi]!;
      const qG = out[qi + 1]!;
      const qB = out[qi + 2]!;
      const qA = out[qi + 3]!;
      r += weight * (qR + limit(sx * (out[ri]! - out[li]!) + sy * (out[di]! - out[ui]!)));
      g += weight * (qG + limit(sx * (out[ri + 1]! - out[li + 1]!) + sy * (out[di + 1]! - out[ui + 1]!)));
      b += weight * (qB + limit(sx * (out[ri + 2]! - out[li + 2]!) + sy * (out[di + 2]! - out[ui + 2]!)));
      a += weight * (qA + limit(sx * (out[ri + 3]! - out[li + 3]!) + sy * (out[di + 3]! - out[ui + 3]!)));
      total += weight;
      if (qR < rLow) rLow = qR;
      if (qR > rHigh) rHigh = qR;
      if (qG < gLow) gLow = qG;
      if (qG > gHigh) gHigh = qG;
      if (qB < bLow) bLow = qB;
      if (qB > bHigh) bHigh = qB;
      if (qA < aLow) aLow = qA;
      if (qA > aHigh) aHigh = qA;
    }
    // `total` > 0: the pixel whose acceptance reached p is a set neighbour at distance 1.
    const pi = p * 4;
    out[pi] = within(r / total, rLow, rHigh);
    out[pi + 1] = within(g / total, gLow, gHigh);
    out[pi + 2] = within(b / total, bLow, bHigh);
    out[pi + 3] = within(a / total, aLow, aHigh);
  };

  /**
   * Marches from the boundary (time 0) through INSIDE pixels in order of arrival time, stopping
   * past `limit`; with `fill`, each pixel is filled as it first joins the band.
   */
  const march = async (limit: number, fill: boolean) => {
    const heap = new PixelHeap(front.length * 2);
    for (const p of front) {
      state[p] = KNOWN;
      time[p] = 0;
      heap.push(p, 0);
    }
    while (heap.size > 0) {
      const p = heap.pop();
      if (heap.poppedKey !== time[p]) continue; // superseded by a smaller arrival time
      if (heap.poppedKey > limit) break;
      state[p] = KNOWN;
      const x = p % width;
      for (let n = 0; n < 4; n++) {
        const q =
          n === 0
            ? p - width
            : n === 1
              ? p + width
              : n === 2 && x > 0
                ? p - 1
                : n === 3 && x < width - 1
                  ? p + 1
                  : -1;
        if (q < 0 || q >= pixels || state[q] === KNOWN) continue;
        const t = arrival(q);
        if (state[q] === INSIDE) {
          time[q] = t;
          if (fill) {
            estimate(q);
            filled++;
          }
          state[q] = BAND; // only now, so no estimate reads q before it has a value
          heap.push(q, t);
        } else if (t < time[q]!) {
          time[q] = t;
          heap.push(q, t);
        }
      }
      if (++work % YIELD_EVERY === 0) await breathe();
    }
  };

  // Pass 1, outward: distances into the known side near the hole, stored negated, so the
  // level-set weight and the normal are defined on both sides of the boundary. The hole is a
  // wall here (KNOWN at time FAR, which the arrival solve ignores).
  for (let i = 0; i < pixels; i++) state[i] = painted[i] !== 0 ? KNOWN : INSIDE;
  await march(FILL_RADIUS + 1, false);
  for (let i = 0; i < pixels; i++) {
    if (painted[i] === 0) {
      time[i] = -Math.min(time[i]!, FILL_RADIUS + 1);
      state[i] = KNOWN;
    } else {
      state[i] = INSIDE;
    }
  }

  // Pass 2, inward: fill each hole pixel as the front reaches it.
  await march(Infinity, true);
  return out;
}

/** The gradient step ∇I(q)·(p − q), limited to ±`MAX_EXTRAPOLATION`. */
function limit(step: number): number {
  return step > MAX_EXTRAPOLATION ? MAX_EXTRAPOLATION : step < -MAX_EXTRAPOLATION ? -MAX_EXTRAPOLATION : step;
}

/** `value` rounded and kept within [low, high] (a Uint8Array store would truncate instead). */
function within(value: number, low: number, high: number): number {
  return value <= low ? low : value >= high ? high : Math.round(value);
}

/** Unpainted pixels with a painted 4-neighbour: where both marches start. */
function boundary(mask: BinaryMask): Int32Array {
  const { width, height, data } = mask;
  const found: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (data[i] !== 0) continue;
      if (
        (x > 0 && data[i - 1] !== 0) ||
        (x < width - 1 && data[i + 1] !== 0) ||
        (y > 0 && data[i - width] !== 0) ||
        (y < height - 1 && data[i + width] !== 0)
      ) {
        found.push(i);
      }
    }
  }
  return Int32Array.from(found);
}

/** Offsets within `radius` (the centre excluded), with what each weight needs precomputed. */
function discOffsets(radius: number) {
  const dx: number[] = [];
  const dy: number[] = [];
  for (let y = -radius; y <= radius; y++) {
    for (let x = -radius; x <= radius; x++) {
      if ((x !== 0 || y !== 0) && x * x + y * y <= radius * radius) {
        dx.push(x);
        dy.push(y);
      }
    }
  }
  const length = dx.map((x, k) => Math.hypot(x, dy[k]!));
  return {
    count: dx.length,
    dx: Int32Array.from(dx),
    dy: Int32Array.from(dy),
    // Unit vector of p − q (= −offset), for the direction weight.
    ux: Float64Array.from(dx, (x, k) => -x / length[k]!),
    uy: Float64Array.from(dy, (y, k) => -y / length[k]!),
    inverseSquaredDistance: Float64Array.from(length, (l) => 1 / (l * l)),
  };
}
