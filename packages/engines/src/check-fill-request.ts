import { EngineRefusedError, type EngineCapabilities, type EngineRequest } from "@retouch/core";

/** What the CPU fill engines share: no prompt, seeded variants, and the same size limits. */
export const FILL_ENGINE_TRAITS = {
  operations: ["inpaint", "erase", "outpaint"],
  usesPrompt: false,
  usesNegativePrompt: false,
  usesSeed: true,
  maxResults: 4,
  maxPixels: 4_000_000,
  maxSide: 4096,
  minSide: 1,
} satisfies Omit<EngineCapabilities, "id" | "label" | "description">;

/**
 * Refuses what a fill engine cannot serve (the pipeline normally prevents all of it) and
 * returns the image and mask it needs.
 *
 * @example
 * ```ts
 * const { image, mask } = checkFillRequest(capabilities, request);
 * ```
 */
export function checkFillRequest(caps: EngineCapabilities, request: EngineRequest) {
  const { image, mask, count } = request;
  if (!caps.operations.includes(request.operation)) {
    throw new EngineRefusedError(`Engine ${caps.id} does not support ${request.operation}`);
  }
  if (!image || !mask) throw new EngineRefusedError(`Engine ${caps.id} needs an image and a mask`);
  if (mask.width !== image.width || mask.height !== image.height) {
    throw new EngineRefusedError(`Engine ${caps.id} needs a mask the size of the image`);
  }
  if (!Number.isInteger(count) || count < 1 || count > caps.maxResults) {
    throw new EngineRefusedError(`Engine ${caps.id} returns 1 to ${caps.maxResults} results, not ${count}`);
  }
  if (Math.max(image.width, image.height) > caps.maxSide || image.width * image.height > caps.maxPixels) {
    throw new EngineRefusedError(
      `Engine ${caps.id} works on at most ${caps.maxSide} px per side and ${caps.maxPixels} pixels`,
    );
  }
  if (!mask.data.includes(0)) {
    throw new EngineRefusedError(
      "The mask covers the whole image; a fill needs unpainted pixels to fill from",
    );
  }
  return { image, mask };
}
