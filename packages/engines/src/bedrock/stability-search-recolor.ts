import { EngineRefusedError } from "@retouch/core";
import type { BedrockModelProfile } from "./model-profile";
import { STABILITY_IMAGE_SERVICES_LIMITS, parseStabilityResponse, toBase64 } from "./stability-shared";

/**
 * Stability AI Search and Recolor: recolours what `select_prompt` names following `prompt`.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/stability-ai-image-services-search-recolor.html
 *
 * Our API has no `recolor` operation, so this profile serves `replace` when the request says
 * `options.mode === "recolor"` and names the object in `options.selectPrompt`; the engine picks
 * it over search-replace only then.
 */
export const stabilitySearchRecolorProfile: BedrockModelProfile = {
  defaultModelId: "stability.stable-image-search-recolor-v1:0",
  operation: "replace",
  promptRequired: true,
  usesNegativePrompt: true,
  usesMask: false,
  limits: STABILITY_IMAGE_SERVICES_LIMITS,
  buildBody({ imagePng, prompt, negativePrompt, seed, options }) {
    const select = options["selectPrompt"];
    if (typeof select !== "string" || !select.trim()) {
      throw new EngineRefusedError("Recolor needs options.selectPrompt naming what to recolour");
    }
    if (select.length > STABILITY_IMAGE_SERVICES_LIMITS.maxPromptLength) {
      throw new EngineRefusedError("options.selectPrompt is too long");
    }
    return {
      prompt: prompt ?? "",
      select_prompt: select,
      image: toBase64(imagePng),
      ...(negativePrompt ? { negative_prompt: negativePrompt } : {}),
      seed,
      output_format: "png",
    };
  },
  parseResponse: parseStabilityResponse,
};
