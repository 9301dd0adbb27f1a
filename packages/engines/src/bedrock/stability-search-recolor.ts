import { stabilitySearchProfile } from "./stability-search";

/**
 * Stability AI Search and Recolor: recolours what `select_prompt` names following `prompt`.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/stability-ai-image-services-search-recolor.html
 *
 * Our API has no `recolor` operation, so this profile serves `replace` when the request says
 * `options.mode === "recolor"` and names the object in `options.selectPrompt`; the engine picks
 * it over search-replace only then.
 */
export const stabilitySearchRecolorProfile = stabilitySearchProfile({
  defaultModelId: "stability.stable-image-search-recolor-v1:0",
  optionKey: "selectPrompt",
  bodyField: "select_prompt",
  missingMessage: "Recolor needs options.selectPrompt naming what to recolour",
});
