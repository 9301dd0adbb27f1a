import { EngineRefusedError } from "@retouch/core";
import type { BedrockModelProfile } from "./model-profile";
import { fitNovaCanvas } from "./nova-canvas-size";
import {
  NOVA_CANVAS_GENERATION,
  NOVA_CANVAS_LIMITS,
  NOVA_CANVAS_MODEL_ID,
  novaGenerationConfig,
  novaMaskBase64,
  novaTexts,
  parseNovaCanvasResponse,
} from "./nova-canvas-shared";
import { toBase64 } from "./stability-shared";

/** `outPaintingMode` values: DEFAULT blends into the kept area, PRECISE leaves it strictly alone. */
const OUTPAINTING_MODES = ["DEFAULT", "PRECISE"] as const;

/**
 * Nova Canvas OUTPAINTING (`outPaintingParams {image, maskImage, text, negativeText?,
 * outPaintingMode}`, https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html).
 *
 * Our pipeline hands engines the source already padded into the margins (edge pixels repeated)
 * with a mask that is white on the margins. Unlike Stability's outpaint, Nova takes that padded
 * picture as it is: for OUTPAINTING it paints the white part of the mask, which is our
 * convention already. `options.outPaintingMode` picks DEFAULT (the default) or PRECISE.
 */
export const novaOutpaintProfile: BedrockModelProfile = {
  defaultModelId: NOVA_CANVAS_MODEL_ID,
  operation: "outpaint",
  promptRequired: true,
  usesNegativePrompt: true,
  usesMask: false,
  maxImagesPerCall: NOVA_CANVAS_GENERATION.maxImages,
  limits: NOVA_CANVAS_LIMITS,
  prepare: fitNovaCanvas,
  async buildBody({ imagePng, mask, prompt, negativePrompt, seed, count, options }) {
    if (!mask.data.some((value) => value !== 0)) {
      throw new EngineRefusedError("Nova Canvas outpaint needs a mask marking the margins to paint");
    }
    const mode = options["outPaintingMode"] ?? "DEFAULT";
    if (!OUTPAINTING_MODES.some((m) => m === mode)) {
      throw new EngineRefusedError('options.outPaintingMode must be "DEFAULT" or "PRECISE"');
    }
    return {
      taskType: "OUTPAINTING",
      outPaintingParams: {
        image: toBase64(imagePng),
        maskImage: await novaMaskBase64(mask, "white"),
        ...novaTexts(prompt, negativePrompt),
        outPaintingMode: mode,
      },
      imageGenerationConfig: novaGenerationConfig({ count, seed, options }),
    };
  },
  parseResponse: parseNovaCanvasResponse,
};
