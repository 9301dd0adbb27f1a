import type { BinaryMask, RasterImage } from "@retouch/core";

/**
 * `source` with the painted pixels of `mask` taken from `result`. Pixels outside the mask are
 * copied byte for byte, so an engine (or the scaling around it) can never alter them.
 */
export function compositeMasked(source: RasterImage, result: RasterImage, mask: BinaryMask): RasterImage {
  const data = new Uint8Array(source.data);
  for (let i = 0, p = 0; i < mask.data.length; i++, p += 4) {
    if (mask.data[i] === 0) continue;
    data[p] = result.data[p]!;
    data[p + 1] = result.data[p + 1]!;
    data[p + 2] = result.data[p + 2]!;
    data[p + 3] = result.data[p + 3]!;
  }
  return { width: source.width, height: source.height, data };
}
