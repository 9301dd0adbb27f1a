import type { BedrockModelProfile } from "./model-profile";
import { STABILITY_IMAGE_SERVICES_LIMITS, parseStabilityResponse, toBase64 } from "./stability-shared";

/**
 * Stability AI Erase Object: removes what the white part of the mask covers; takes no prompt.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/stability-ai-image-services-erase-object.html
 */
export const stabilityEraseProfile: BedrockModelProfile = {
  defaultModelId: "stability.stable-image-erase-object-v1:0",
  operation: "erase",
  promptRequired: false,
  usesNegativePrompt: false,
  limits: STABILITY_IMAGE_SERVICES_LIMITS,
  buildBody({ imagePng, maskPng, seed }) {
    return { image: toBase64(imagePng), mask: toBase64(maskPng), seed, output_format: "png" };
  },
  parseResponse: parseStabilityResponse,
};
