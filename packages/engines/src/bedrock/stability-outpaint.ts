import { EngineRefusedError } from "@retouch/core";
import { cropPixels, encodePng } from "@retouch/imaging";
import type { BedrockModelProfile } from "./model-profile";
import { STABILITY_IMAGE_SERVICES_LIMITS, parseStabilityResponse, toBase64 } from "./stability-shared";

/** Each margin is at most 2000 px (left/right/up/down), per the AWS documentation below. */
export const OUTPAINT_MAX_MARGIN = 2000;

/**
 * Stability AI Outpaint: extends the image by per-side margins.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/stability-ai-image-services-outpaint.html
 *
 * Our pipeline hands engines the image already padded plus a mask that is white on the new
 * margins. The model wants the original picture and the margins instead, so this profile takes
 * the bounding box of the black (kept) part of the mask as the original, sends that crop, and
 * the margins around it; the model returns the padded size again.
 */
export const stabilityOutpaintProfile: BedrockModelProfile = {
  defaultModelId: "stability.stable-outpaint-v1:0",
  operation: "outpaint",
  promptRequired: false,
  usesNegativePrompt: false,
  limits: STABILITY_IMAGE_SERVICES_LIMITS,
  async buildBody({ image, mask, prompt, seed, options }) {
    const box = keptBox(mask.data, mask.width, mask.height);
    if (!box) throw new EngineRefusedError("Outpaint needs a mask that keeps part of the image");
    const margins = {
      left: box.x0,
      right: mask.width - 1 - box.x1,
      up: box.y0,
      down: mask.height - 1 - box.y1,
    };
    if (Object.values(margins).some((m) => m > OUTPAINT_MAX_MARGIN)) {
      throw new EngineRefusedError(`Outpaint margins are at most ${OUTPAINT_MAX_MARGIN} px per side`);
    }
    const w = box.x1 - box.x0 + 1;
    const h = box.y1 - box.y0 + 1;
    if (Math.min(w, h) < STABILITY_IMAGE_SERVICES_LIMITS.minSide) {
      throw new EngineRefusedError(
        `Outpaint needs the original at least ${STABILITY_IMAGE_SERVICES_LIMITS.minSide} px per side`,
      );
    }
    const data = cropPixels(image.data, image.width, { left: box.x0, top: box.y0, width: w, height: h }, 4);
    const creativity = options["creativity"];
    return {
      image: toBase64(await encodePng({ width: w, height: h, data })),
      ...margins,
      ...(prompt?.trim() ? { prompt } : {}),
      ...(typeof creativity === "number" ? { creativity } : {}),
      seed,
      output_format: "png",
    };
  },
  parseResponse: parseStabilityResponse,
};

function keptBox(data: Uint8Array, width: number, height: number) {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : { x0, y0, x1, y1 };
}
