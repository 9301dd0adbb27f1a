import type { RasterImage } from "@retouch/core";

/**
 * A copy of `image` composited over white and fully opaque, for models that refuse transparent
 * or translucent pixels. An opaque image comes back unchanged (the same object).
 *
 * @example
 * ```ts
 * const rgb = flattenOnWhite(cutOut); // a transparent background becomes white
 * ```
 */
export function flattenOnWhite(image: RasterImage): RasterImage {
  let opaque = true;
  for (let i = 3; i < image.data.length && opaque; i += 4) opaque = image.data[i] === 255;
  if (opaque) return image;
  const data = new Uint8Array(image.data);
  for (let i = 0; i < data.length; i += 4) {
    const alpha = data[i + 3]!;
    if (alpha === 255) continue;
    for (let c = 0; c < 3; c++) data[i + c] = Math.round((data[i + c]! * alpha + 255 * (255 - alpha)) / 255);
    data[i + 3] = 255;
  }
  return { width: image.width, height: image.height, data };
}
