import type { BinaryMask } from "@retouch/core";
import { inspectImage } from "./inspect-image";
import type { IntakeLimits } from "./intake-limits";
import { decodeRgba } from "./raster-codec";
import { assertSameSize } from "./size-mismatch";

/** 50 % of 255: values at or above it count as painted. */
const THRESHOLD = 128;

/**
 * Decodes and binarises a user mask (DESIGN.md: painted = white, or opaque in an alpha mask;
 * binarised at 50 %). A mask whose alpha channel is not fully opaque is read by its alpha
 * (painted = alpha ≥ 128), any other by its luminance (painted = luminance ≥ 128). The same
 * format and limit rules as `normalizeUpload` apply, and EXIF orientation is honoured.
 *
 * @throws ValidationError (400) when the mask's size is not `expected`.
 * @throws PayloadTooLargeError (413) / UnsupportedMediaTypeError (415) as `normalizeUpload`.
 * @example
 * ```ts
 * const mask = await decodeMask(maskBytes, { width: 200, height: 160 }, limits);
 * mask.data[0]; // 0 or 255
 * ```
 */
export async function decodeMask(
  bytes: Uint8Array,
  expected: { width: number; height: number },
  limits: IntakeLimits,
): Promise<BinaryMask> {
  const header = await inspectImage(bytes, limits);
  assertSameSize(header, expected);
  const { width, height, data: rgba } = await decodeRgba(bytes, { limitInputPixels: limits.maxPixels });
  const pixels = width * height;
  const data = new Uint8Array(pixels);
  if (hasTransparency(rgba)) {
    for (let i = 0; i < pixels; i++) data[i] = rgba[i * 4 + 3]! >= THRESHOLD ? 255 : 0;
  } else {
    // Rec. 709 luma in integers: 10000 × luminance ≥ 10000 × threshold.
    for (let i = 0, p = 0; i < pixels; i++, p += 4) {
      const luma = 2126 * rgba[p]! + 7152 * rgba[p + 1]! + 722 * rgba[p + 2]!;
      data[i] = luma >= THRESHOLD * 10000 ? 255 : 0;
    }
  }
  return { width, height, data };
}

function hasTransparency(rgba: Uint8Array): boolean {
  for (let p = 3; p < rgba.length; p += 4) if (rgba[p] !== 255) return true;
  return false;
}
