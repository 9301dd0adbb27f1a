import { EngineRefusedError } from "@retouch/core";
import type { BedrockModelProfile } from "./model-profile";
import { NOVA_CANVAS_SIZE_RULES, fitNovaCanvas } from "./nova-canvas-size";
import {
  NOVA_CANVAS_GENERATION,
  NOVA_CANVAS_LIMITS,
  NOVA_CANVAS_MODEL_ID,
  novaGenerationConfig,
  novaTexts,
  parseNovaCanvasResponse,
} from "./nova-canvas-shared";

/**
 * Nova Canvas TEXT_IMAGE (`textToImageParams {text, negativeText?}`,
 * https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html): an image
 * from the prompt alone, `options.width`×`options.height` (default 1024×1024). A size Nova does
 * not accept is generated at the nearest size it does and cropped/scaled to the one asked for.
 */
export const novaGenerateProfile: BedrockModelProfile = {
  defaultModelId: NOVA_CANVAS_MODEL_ID,
  operation: "generate",
  promptRequired: true,
  usesNegativePrompt: true,
  usesMask: false,
  usesImage: false,
  maxImagesPerCall: NOVA_CANVAS_GENERATION.maxImages,
  limits: NOVA_CANVAS_LIMITS,
  prepare(canvas, mask) {
    const { minSide, maxSide } = NOVA_CANVAS_SIZE_RULES;
    if (Math.max(canvas.width, canvas.height) > maxSide || Math.min(canvas.width, canvas.height) < minSide) {
      throw new EngineRefusedError(
        `Nova Canvas generates images with sides of ${minSide} to ${maxSide} px, not ${canvas.width}×${canvas.height}`,
      );
    }
    return fitNovaCanvas(canvas, mask);
  },
  buildBody({ image, prompt, negativePrompt, seed, count, options }) {
    return {
      taskType: "TEXT_IMAGE",
      textToImageParams: novaTexts(prompt, negativePrompt),
      imageGenerationConfig: {
        ...novaGenerationConfig({ count, seed, options }),
        width: image.width,
        height: image.height,
      },
    };
  },
  parseResponse: parseNovaCanvasResponse,
};
