import sharp from "sharp";
import type { ImageFormat } from "@retouch/core";
import { decodeFailure } from "./decode-failure";
import { inspectImage } from "./inspect-image";
import type { IntakeLimits } from "./intake-limits";
import { isLosslessWebp } from "./webp-lossless";

/**
 * An accepted upload, re-encoded: upright, sRGB, without metadata.
 *
 * @example
 * ```ts
 * const { data, format, contentType, width, height } = await normalizeUpload(bytes, limits);
 * ```
 */
export interface NormalizedImage {
  data: Buffer;
  format: ImageFormat;
  contentType: string;
  width: number;
  height: number;
}

const CONTENT_TYPES: Record<ImageFormat, string> = {
  png: "image/png",
  jpeg: "image/jpeg",
  webp: "image/webp",
};

/**
 * Validates and normalises an uploaded image. Only PNG, JPEG and WebP are accepted, judged by
 * their bytes; limits are checked from the header before decoding. The whole image is then
 * decoded (so truncated files are caught), turned upright by its EXIF orientation, converted to
 * sRGB and re-encoded in its own format without EXIF, XMP or ICC metadata — PNG and lossless
 * WebP stay lossless, JPEG and lossy WebP are written at quality 95.
 *
 * @throws PayloadTooLargeError (413) over `maxBytes` or `maxPixels`.
 * @throws UnsupportedMediaTypeError (415) for any other format or an unreadable file.
 * @example
 * ```ts
 * const image = await normalizeUpload(bytes, { maxBytes: 25 * 1024 * 1024, maxPixels: 40_000_000 });
 * await blobs.put(key, image.data, { contentType: image.contentType }); // image.width, image.height are upright
 * ```
 */
export async function normalizeUpload(bytes: Uint8Array, limits: IntakeLimits): Promise<NormalizedImage> {
  const { format } = await inspectImage(bytes, limits);
  // failOn "error" makes a truncated file fail instead of decoding to grey; sharp drops all
  // metadata and converts an embedded ICC profile to sRGB unless told to keep them.
  const pipeline = sharp(bytes, { failOn: "error", limitInputPixels: limits.maxPixels }).autoOrient();
  if (format === "png") pipeline.png();
  else if (format === "jpeg") pipeline.jpeg({ quality: 95 });
  else pipeline.webp(isLosslessWebp(bytes) ? { lossless: true } : { quality: 95 });
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true }).catch((error: unknown) => {
    throw decodeFailure(error, limits.maxPixels);
  });
  return { data, format, contentType: CONTENT_TYPES[format], width: info.width, height: info.height };
}
