import { novaInpaintingProfile } from "./nova-inpainting";

/**
 * Nova Canvas INPAINTING without `text`, which removes what the mask (or `options.maskPrompt`)
 * covers and fills in the background.
 * https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html
 */
export const novaEraseProfile = novaInpaintingProfile({
  operation: "erase",
  usesText: false,
  maskPromptOption: "maskPrompt",
});
