import { novaInpaintingProfile } from "./nova-inpainting";

/**
 * Nova Canvas INPAINTING with `text`: paints what the prompt describes into the painted area, or
 * into the area `options.maskPrompt` names.
 * https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html
 */
export const novaInpaintProfile = novaInpaintingProfile({
  operation: "inpaint",
  usesText: true,
  maskPromptOption: "maskPrompt",
});
