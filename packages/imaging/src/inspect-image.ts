import sharp from "sharp";
import { UnsupportedMediaTypeError, type ImageFormat } from "@retouch/core";
import { UNREADABLE_IMAGE, decodeFailure } from "./decode-failure";
import { assertWithinByteLimit, assertWithinPixelLimit, type IntakeLimits } from "./intake-limits";
import { sniffFormat } from "./sniff-format";

/** What an accepted file's header says, before any pixel is decoded. */
export interface ImageHeader {
  format: ImageFormat;
  /** Size after EXIF orientation is applied. */
  width: number;
  height: number;
}

/**
 * Applies the intake rules that need no decoding: byte limit, format by magic bytes, a header
 * sharp can read and agrees with, a still image, and the pixel limit — so a decompression
 * bomb is refused before its pixels exist.
 */
export async function inspectImage(bytes: Uint8Array, limits: IntakeLimits): Promise<ImageHeader> {
  assertWithinByteLimit(bytes.length, limits);
  const format = sniffFormat(bytes);
  // The limit is checked below with a clear message; sharp's own guard would refuse the header read.
  const metadata = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw decodeFailure(error);
    });
  if (metadata.format !== format || !metadata.width || !metadata.height) {
    throw new UnsupportedMediaTypeError(UNREADABLE_IMAGE);
  }
  if ((metadata.pages ?? 1) > 1) {
    throw new UnsupportedMediaTypeError(
      "Animated images are not supported; upload a still PNG, JPEG or WebP image",
    );
  }
  assertWithinPixelLimit(metadata.width, metadata.height, limits);
  return { format, width: metadata.autoOrient.width, height: metadata.autoOrient.height };
}
