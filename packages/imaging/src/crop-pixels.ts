/**
 * The pixels of `region` (`channels` bytes each: 4 for RGBA, 1 for a mask) copied out of an
 * image `width` pixels wide.
 *
 * @example
 * ```ts
 * const rgba = cropPixels(image.data, image.width, { left: 10, top: 20, width: 64, height: 48 }, 4);
 * ```
 */
export function cropPixels(
  data: Uint8Array,
  width: number,
  region: { left: number; top: number; width: number; height: number },
  channels: number,
): Uint8Array {
  const out = new Uint8Array(region.width * region.height * channels);
  const rowBytes = region.width * channels;
  for (let y = 0; y < region.height; y++) {
    const from = ((region.top + y) * width + region.left) * channels;
    out.set(data.subarray(from, from + rowBytes), y * rowBytes);
  }
  return out;
}
