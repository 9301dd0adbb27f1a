import type { BedrockModelProfile } from "./model-profile";
import { STABILITY_IMAGE_SERVICES_LIMITS, parseStabilityResponse, toBase64 } from "./stability-shared";

/**
 * Stability AI Inpaint: fills the white part of the mask following the prompt.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/stability-ai-image-services-inpaint.html
 */
export const stabilityInpaintProfile: BedrockModelProfile = {
  defaultModelId: "stability.stable-image-inpaint-v1:0",
  operation: "inpaint",
  promptRequired: true,
  usesNegativePrompt: true,
  limits: STABILITY_IMAGE_SERVICES_LIMITS,
  buildBody({ imagePng, maskPng, prompt, negativePrompt, seed }) {
    return {
      prompt: prompt ?? "",
      image: toBase64(imagePng),
      mask: toBase64(maskPng),
      ...(negativePrompt ? { negative_prompt: negativePrompt } : {}),
      seed,
      output_format: "png",
    };
  },
  parseResponse: parseStabilityResponse,
};
