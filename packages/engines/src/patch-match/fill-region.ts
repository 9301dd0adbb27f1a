/** A rectangle of an image, in pixels. */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Context kept around the hole at least, so small holes still have texture to copy from. */
const MIN_CONTEXT = 96;

/**
 * The part of the image a fill works on: the hole's bounding box grown on every side by its own
 * longest side (at least {@link MIN_CONTEXT} px), clamped to the image. A blemish on a 40 MP
 * photo is then filled from a few hundred pixels around it instead of the whole frame — far less
 * memory and time — while a large hole still sees as much context as it needs. Null when the
 * hole is empty.
 *
 * @example
 * ```ts
 * fillRegion(4000, 3000, hole); // { left: 1804, top: 1404, width: 392, height: 392 } for a 200² hole at the centre
 * ```
 */
export function fillRegion(width: number, height: number, hole: Uint8Array): Region | null {
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if (hole[row + x]) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first < 0) continue;
    if (first < minX) minX = first;
    if (last > maxX) maxX = last;
    if (minY > y) minY = y;
    maxY = y;
  }
  if (maxX < 0) return null;
  const margin = Math.max(MIN_CONTEXT, maxX - minX + 1, maxY - minY + 1);
  const left = Math.max(0, minX - margin);
  const top = Math.max(0, minY - margin);
  const right = Math.min(width, maxX + 1 + margin);
  const bottom = Math.min(height, maxY + 1 + margin);
  return { left, top, width: right - left, height: bottom - top };
}

/**
 * A copy of the RGBA image with `pixels` (the filled region) written back at `region`.
 *
 * @example
 * ```ts
 * const result = pasteRegion(image.data, image.width, region, filledCrop);
 * ```
 */
export function pasteRegion(data: Uint8Array, width: number, region: Region, pixels: Uint8Array): Uint8Array {
  const out = new Uint8Array(data);
  const rowBytes = region.width * 4;
  for (let y = 0; y < region.height; y++) {
    out.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), ((region.top + y) * width + region.left) * 4);
  }
  return out;
}
