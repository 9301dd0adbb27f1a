import { novaInpaintingProfile } from "./nova-inpainting";

/**
 * Nova Canvas INPAINTING with a `maskPrompt` from `options.searchPrompt` (as for Stability's
 * search-replace) and the prompt as `text`: finds what the search prompt names and replaces it.
 * https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html
 */
export const novaReplaceProfile = novaInpaintingProfile({
  operation: "replace",
  usesText: true,
  maskPromptOption: "searchPrompt",
});
