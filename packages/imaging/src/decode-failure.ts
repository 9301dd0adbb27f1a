import { PayloadTooLargeError, UnsupportedMediaTypeError, type HttpError } from "@retouch/core";

/** The message for files sharp cannot decode to the end. */
export const UNREADABLE_IMAGE = "The file is not a readable image (it may be truncated or corrupt)";

/**
 * Maps an error thrown by sharp while reading user bytes to the typed error the API answers:
 * its pixel-limit guard becomes 413, anything else 415 (the bytes are not a usable image).
 */
export function decodeFailure(error: unknown, maxPixels?: number): HttpError {
  const message = error instanceof Error ? error.message : "";
  if (message.includes("exceeds pixel limit")) {
    return new PayloadTooLargeError(
      maxPixels === undefined
        ? "The image has too many pixels"
        : `The image has more pixels than the limit of ${maxPixels.toLocaleString("en-US")}`,
    );
  }
  return new UnsupportedMediaTypeError(UNREADABLE_IMAGE);
}
