import { EngineRefusedError, type EngineCapabilities } from "@retouch/core";

/** Width and height in pixels. */
export interface Size {
  width: number;
  height: number;
}

type SizeLimits = Pick<EngineCapabilities, "id" | "maxPixels" | "maxSide" | "minSide">;

/**
 * The size an engine works at: `size` scaled down (aspect kept) to fit `maxSide` and
 * `maxPixels`, or up so its shorter side reaches `minSide`; unchanged when it already fits.
 * Throws `EngineRefusedError` when no scale satisfies every limit (an extreme aspect ratio).
 */
export function workingSize(size: Size, limits: SizeLimits): Size {
  const { width, height } = size;
  const down = Math.min(
    1,
    limits.maxSide / Math.max(width, height),
    Math.sqrt(limits.maxPixels / (width * height)),
  );
  const up = Math.max(1, limits.minSide / Math.min(width, height));
  // Flooring keeps a reduced size within the maxima; rounding an enlarged one lands its shorter
  // side exactly on minSide (ceil could add a pixel for float error).
  const scaled =
    down < 1
      ? { width: Math.floor(width * down), height: Math.floor(height * down) }
      : up > 1
        ? { width: Math.round(width * up), height: Math.round(height * up) }
        : size;
  const fits =
    Math.min(scaled.width, scaled.height) >= limits.minSide &&
    Math.max(scaled.width, scaled.height) <= limits.maxSide &&
    scaled.width * scaled.height <= limits.maxPixels;
  if (!fits) {
    throw new EngineRefusedError(
      `Engine ${limits.id} cannot work on a ${width}×${height} image: it needs sides of ${limits.minSide} to ` +
        `${limits.maxSide} px and at most ${limits.maxPixels.toLocaleString("en-US")} pixels`,
    );
  }
  return { width: scaled.width, height: scaled.height };
}
