import type { BedrockModelProfile } from "./model-profile";
import { fitNovaCanvas } from "./nova-canvas-size";
import { NOVA_CANVAS_LIMITS, NOVA_CANVAS_MODEL_ID, parseNovaCanvasResponse } from "./nova-canvas-shared";
import { toBase64 } from "./stability-shared";

/**
 * Nova Canvas BACKGROUND_REMOVAL: returns the subject on transparent pixels. The task takes only
 * `backgroundRemovalParams {image}` — no prompt, no seed and no `imageGenerationConfig`.
 * https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html
 */
export const novaRemoveBackgroundProfile: BedrockModelProfile = {
  defaultModelId: NOVA_CANVAS_MODEL_ID,
  operation: "remove-background",
  promptRequired: false,
  usesNegativePrompt: false,
  usesMask: false,
  limits: NOVA_CANVAS_LIMITS,
  prepare: fitNovaCanvas,
  buildBody({ imagePng }) {
    return { taskType: "BACKGROUND_REMOVAL", backgroundRemovalParams: { image: toBase64(imagePng) } };
  },
  parseResponse: parseNovaCanvasResponse,
};
