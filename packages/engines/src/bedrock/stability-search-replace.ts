import { stabilitySearchProfile } from "./stability-search";

/**
 * Stability AI Search and Replace: finds what `search_prompt` names and replaces it following
 * `prompt`, without a painted mask. Our request carries the search prompt in
 * `options.searchPrompt`.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/stability-ai-image-services-search-replace.html
 */
export const stabilitySearchReplaceProfile = stabilitySearchProfile({
  defaultModelId: "stability.stable-image-search-replace-v1:0",
  optionKey: "searchPrompt",
  bodyField: "search_prompt",
  missingMessage: "Replace needs options.searchPrompt naming what to replace",
});
