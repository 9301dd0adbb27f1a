import type { BedrockModelProfile } from "./model-profile";
import { STABILITY_IMAGE_SERVICES_LIMITS, parseStabilityResponse, toBase64 } from "./stability-shared";

/**
 * Stability AI Remove Background: returns the subject on a transparent background (PNG with
 * alpha). Takes no prompt, mask or seed.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/stability-ai-image-services-remove-background.html
 */
export const stabilityRemoveBackgroundProfile: BedrockModelProfile = {
  defaultModelId: "stability.stable-image-remove-background-v1:0",
  operation: "remove-background",
  promptRequired: false,
  usesNegativePrompt: false,
  usesMask: false,
  limits: STABILITY_IMAGE_SERVICES_LIMITS,
  buildBody({ imagePng }) {
    return { image: toBase64(imagePng), output_format: "png" };
  },
  parseResponse: parseStabilityResponse,
};
