import { PayloadTooLargeError } from "@retouch/core";

/**
 * Upper bounds an uploaded file must respect; checked before any pixel is decoded.
 *
 * @example
 * ```ts
 * const limits: IntakeLimits = { maxBytes: config.maxUploadBytes, maxPixels: config.maxPixels };
 * ```
 */
export interface IntakeLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Largest accepted image, in pixels (width × height) as the file's header declares. */
  maxPixels: number;
}

/** Refuses a file larger than `maxBytes`, naming both sizes (1 MB = 1024² bytes, like the config). */
export function assertWithinByteLimit(byteLength: number, limits: IntakeLimits): void {
  if (byteLength <= limits.maxBytes) return;
  const size = formatBytes(byteLength);
  const limit = formatBytes(limits.maxBytes);
  // Rounding can make both read "25 MB"; exact byte counts then say what is wrong.
  throw new PayloadTooLargeError(
    size === limit
      ? `The file is ${byteLength.toLocaleString("en-US")} bytes; the limit is ${limits.maxBytes.toLocaleString("en-US")} bytes`
      : `The file is ${size}; the limit is ${limit}`,
  );
}

/** Refuses an image whose header declares more than `maxPixels` pixels. */
export function assertWithinPixelLimit(width: number, height: number, limits: IntakeLimits): void {
  const pixels = width * height;
  if (pixels <= limits.maxPixels) return;
  throw new PayloadTooLargeError(
    `The image is ${width}×${height} (${pixels.toLocaleString("en-US")} pixels); ` +
      `the limit is ${limits.maxPixels.toLocaleString("en-US")} pixels`,
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}
