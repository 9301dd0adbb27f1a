import sharp, { type SharpOptions } from "sharp";
import type { BinaryMask, RasterImage } from "@retouch/core";
import { decodeFailure } from "./decode-failure";

/** Decodes a whole file to upright sRGB RGBA pixels; truncated or corrupt files fail. */
export async function decodeRgba(bytes: Uint8Array, options: SharpOptions = {}): Promise<RasterImage> {
  const { data, info } = await sharp(bytes, { failOn: "error", ...options })
    .autoOrient()
    .toColourspace("srgb")
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw decodeFailure(
        error,
        typeof options.limitInputPixels === "number" ? options.limitInputPixels : undefined,
      );
    });
  return { width: info.width, height: info.height, data };
}

/**
 * Decodes a stored image (already accepted by `normalizeUpload`) to RGBA pixels, with its EXIF
 * orientation applied.
 *
 * @throws UnsupportedMediaTypeError (415) when the bytes are not a readable image.
 * @example
 * ```ts
 * const source = await decodeRaster(await blobs.get(image.key)); // source.data.length === w * h * 4
 * ```
 */
export async function decodeRaster(bytes: Uint8Array): Promise<RasterImage> {
  return decodeRgba(bytes);
}

/**
 * Encodes RGBA pixels as a PNG (lossless, no metadata).
 *
 * @example
 * ```ts
 * await writeFile("result.png", await encodePng(result));
 * ```
 */
export async function encodePng(image: RasterImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .png()
    .toBuffer();
}

/**
 * Encodes a mask as a greyscale PNG, white where painted — the user-facing mask convention.
 *
 * @example
 * ```ts
 * await writeFile("mask.png", await encodeMaskPng(mask));
 * ```
 */
export async function encodeMaskPng(mask: BinaryMask): Promise<Buffer> {
  return sharp(mask.data, { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .toColourspace("b-w")
    .png()
    .toBuffer();
}
