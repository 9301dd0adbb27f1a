import { EngineRefusedError } from "@retouch/core";
import type { BedrockModelProfile } from "./model-profile";
import { fitNovaCanvas } from "./nova-canvas-size";
import {
  NOVA_CANVAS_GENERATION,
  NOVA_CANVAS_LIMITS,
  NOVA_CANVAS_MODEL_ID,
  novaGenerationConfig,
  novaTexts,
  parseNovaCanvasResponse,
} from "./nova-canvas-shared";
import { toBase64 } from "./stability-shared";

/** `similarityStrength` range (how close the variation stays to the source), per the page below. */
export const NOVA_SIMILARITY = { min: 0.2, max: 1 } as const;

/**
 * Nova Canvas IMAGE_VARIATION (`imageVariationParams {images, text?, negativeText?,
 * similarityStrength?}`, https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html):
 * new images in the spirit of the source, following the prompt when there is one. The output is
 * asked for at the fitted source's size so it maps back onto the source's frame.
 */
export const novaVariationProfile: BedrockModelProfile = {
  defaultModelId: NOVA_CANVAS_MODEL_ID,
  operation: "variation",
  promptRequired: false,
  usesNegativePrompt: true,
  usesMask: false,
  maxImagesPerCall: NOVA_CANVAS_GENERATION.maxImages,
  limits: NOVA_CANVAS_LIMITS,
  prepare: fitNovaCanvas,
  buildBody({ image, imagePng, prompt, negativePrompt, seed, count, options }) {
    const similarity = options["similarityStrength"];
    if (
      similarity !== undefined &&
      similarity !== null &&
      (typeof similarity !== "number" || similarity < NOVA_SIMILARITY.min || similarity > NOVA_SIMILARITY.max)
    ) {
      throw new EngineRefusedError(
        `options.similarityStrength must be a number from ${NOVA_SIMILARITY.min} to ${NOVA_SIMILARITY.max}`,
      );
    }
    return {
      taskType: "IMAGE_VARIATION",
      imageVariationParams: {
        images: [toBase64(imagePng)],
        ...novaTexts(prompt, negativePrompt),
        ...(typeof similarity === "number" ? { similarityStrength: similarity } : {}),
      },
      imageGenerationConfig: {
        ...novaGenerationConfig({ count, seed, options }),
        width: image.width,
        height: image.height,
      },
    };
  },
  parseResponse: parseNovaCanvasResponse,
};
