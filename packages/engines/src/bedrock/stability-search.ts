import { EngineRefusedError } from "@retouch/core";
import type { BedrockModelProfile } from "./model-profile";
import { STABILITY_IMAGE_SERVICES_LIMITS, parseStabilityResponse, toBase64 } from "./stability-shared";

/** What sets one search-driven Stability model apart: where its extra prompt comes from and goes. */
export interface StabilitySearchSpec {
  defaultModelId: string;
  /** The request option naming the object, e.g. `searchPrompt`. */
  optionKey: string;
  /** The body field it is sent in, e.g. `search_prompt`. */
  bodyField: string;
  /** Shown when the option is missing or blank. */
  missingMessage: string;
}

/**
 * A `replace` profile for the Stability models that find their target by a second prompt
 * instead of a painted mask (search-replace, search-recolor).
 *
 * @example
 * ```ts
 * const profile = stabilitySearchProfile({
 *   defaultModelId: "stability.stable-image-search-replace-v1:0", optionKey: "searchPrompt",
 *   bodyField: "search_prompt", missingMessage: "Replace needs options.searchPrompt",
 * });
 * ```
 */
export function stabilitySearchProfile(spec: StabilitySearchSpec): BedrockModelProfile {
  return {
    defaultModelId: spec.defaultModelId,
    operation: "replace",
    promptRequired: true,
    usesNegativePrompt: true,
    usesMask: false,
    limits: STABILITY_IMAGE_SERVICES_LIMITS,
    buildBody({ imagePng, prompt, negativePrompt, seed, options }) {
      const target = options[spec.optionKey];
      if (typeof target !== "string" || !target.trim()) throw new EngineRefusedError(spec.missingMessage);
      if (target.length > STABILITY_IMAGE_SERVICES_LIMITS.maxPromptLength) {
        throw new EngineRefusedError(`options.${spec.optionKey} is too long`);
      }
      return {
        prompt: prompt ?? "",
        [spec.bodyField]: target,
        image: toBase64(imagePng),
        ...(negativePrompt ? { negative_prompt: negativePrompt } : {}),
        seed,
        output_format: "png",
      };
    },
    parseResponse: parseStabilityResponse,
  };
}
