import { EngineRefusedError } from "@retouch/core";
import type { BedrockModelProfile } from "./model-profile";
import { STABILITY_IMAGE_SERVICES_LIMITS, parseStabilityResponse, toBase64 } from "./stability-shared";

/**
 * Stability AI Search and Replace: finds what `search_prompt` names and replaces it following
 * `prompt`, without a painted mask. Our request carries the search prompt in
 * `options.searchPrompt`.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/stability-ai-image-services-search-replace.html
 */
export const stabilitySearchReplaceProfile: BedrockModelProfile = {
  defaultModelId: "stability.stable-image-search-replace-v1:0",
  operation: "replace",
  promptRequired: true,
  usesNegativePrompt: true,
  usesMask: false,
  limits: STABILITY_IMAGE_SERVICES_LIMITS,
  buildBody({ imagePng, prompt, negativePrompt, seed, options }) {
    const search = options["searchPrompt"];
    if (typeof search !== "string" || !search.trim()) {
      throw new EngineRefusedError("Replace needs options.searchPrompt naming what to replace");
    }
    if (search.length > STABILITY_IMAGE_SERVICES_LIMITS.maxPromptLength) {
      throw new EngineRefusedError("options.searchPrompt is too long");
    }
    return {
      prompt: prompt ?? "",
      search_prompt: search,
      image: toBase64(imagePng),
      ...(negativePrompt ? { negative_prompt: negativePrompt } : {}),
      seed,
      output_format: "png",
    };
  },
  parseResponse: parseStabilityResponse,
};
