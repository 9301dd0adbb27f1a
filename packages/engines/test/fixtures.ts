import { readFile } from "node:fs/promises";
import type { BinaryMask, EngineRequest, RasterImage } from "@retouch/core";
import { decodeRaster } from "@retouch/imaging";
import { photoPath } from "../../../test/photos";

/** A real photo from the shared test set as RGBA, or the `width`×`height` crop at its centre. */
export async function photoRaster(name: string, width?: number, height?: number): Promise<RasterImage> {
  const full = await decodeRaster(await readFile(photoPath(name)));
  if (!width || !height) return full;
  const left = Math.floor((full.width - width) / 2);
  const top = Math.floor((full.height - height) / 2);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * full.width + left) * 4;
    data.set(full.data.subarray(from, from + width * 4), y * width * 4);
  }
  return { width, height, data };
}

/** A mask of `image`'s size painted where `paint(x, y)` holds. */
export function maskOf(image: RasterImage, paint: (x: number, y: number) => boolean): BinaryMask {
  const data = new Uint8Array(image.width * image.height);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) data[y * image.width + x] = paint(x, y) ? 255 : 0;
  }
  return { width: image.width, height: image.height, data };
}

/** A copy of `image` with the painted pixels set to `colour`, so an unfilled pixel stands out. */
export function withHole(image: RasterImage, mask: BinaryMask, colour = [255, 0, 255, 255]): RasterImage {
  const data = new Uint8Array(image.data);
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) data.set(colour, i * 4);
  return { ...image, data };
}

/** An erase request for `image` and `mask`. */
export function eraseRequest(image: RasterImage, mask: BinaryMask, count = 1, seed = 1): EngineRequest {
  return { operation: "erase", image, mask, prompt: null, negativePrompt: null, count, seed, options: {} };
}

/** A context that never aborts and collects progress. */
export function quietContext(progress: number[] = []) {
  return { signal: new AbortController().signal, onProgress: (f: number) => void progress.push(f) };
}

/** Mean of each RGB channel over the pixels where `where(i)` holds. */
export function meanColour(image: RasterImage, where: (i: number) => boolean): number[] {
  const sum = [0, 0, 0];
  let count = 0;
  for (let i = 0; i < image.width * image.height; i++) {
    if (!where(i)) continue;
    count++;
    for (let c = 0; c < 3; c++) sum[c]! += image.data[i * 4 + c]!;
  }
  return sum.map((s) => s / count);
}

/** How many bytes differ between two buffers; 0 when identical. */
export function differingBytes(a: Uint8Array, b: Uint8Array): number {
  let count = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) count++;
  return count;
}

/** Pixels in the hole still within `tolerance` of the magenta sentinel, i.e. left unfilled. */
export function unfilled(image: RasterImage, hole: Uint8Array, tolerance = 60): number {
  let count = 0;
  for (let i = 0; i < hole.length; i++) {
    if (!hole[i]) continue;
    const [r, g, b] = [image.data[i * 4]!, image.data[i * 4 + 1]!, image.data[i * 4 + 2]!];
    if (Math.abs(r - 255) + g + Math.abs(b - 255) < tolerance) count++;
  }
  return count;
}

/** Bytes outside the hole that differ between two images. */
export function changedOutside(a: RasterImage, b: RasterImage, hole: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < hole.length; i++) {
    if (hole[i]) continue;
    for (let c = 0; c < 4; c++) if (a.data[i * 4 + c] !== b.data[i * 4 + c]) count++;
  }
  return count;
}
