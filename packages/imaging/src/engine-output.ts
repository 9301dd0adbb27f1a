import type { RasterImage } from "@retouch/core";
import type { Size } from "./working-size";

/**
 * Checks an engine's answer before it is trusted: exactly `count` images, each of the working
 * size (when there is one) with a full RGBA buffer. Fewer images than asked for is a fault too,
 * not a partial success, so a user never silently gets less than they were shown. Throws a
 * plain `Error` (a 500): a malformed answer is the engine's bug, not the user's.
 */
export function assertEngineOutput(
  engineId: string,
  images: RasterImage[],
  count: number,
  size: Size | null,
): void {
  const wellSized = images.every(
    (image) =>
      Number.isInteger(image.width) &&
      Number.isInteger(image.height) &&
      image.width > 0 &&
      image.height > 0 &&
      (size === null || (image.width === size.width && image.height === size.height)),
  );
  if (images.length !== count || !wellSized) {
    const sizes =
      [...new Set(images.map((image) => `${image.width}×${image.height}`))].join(", ") || "no size";
    const expected = size === null ? "" : ` of ${size.width}×${size.height}`;
    throw new Error(
      `Engine ${engineId} returned ${images.length} image${images.length === 1 ? "" : "s"} of ${sizes}; ` +
        `expected ${count}${expected}`,
    );
  }
  images.forEach((image, i) => {
    const bytes = image.width * image.height * 4;
    if (image.data.length !== bytes) {
      throw new Error(
        `Engine ${engineId} returned image ${i + 1} with ${image.data.length} bytes of pixels; ` +
          `expected ${bytes} (${image.width}×${image.height} RGBA)`,
      );
    }
  });
}
