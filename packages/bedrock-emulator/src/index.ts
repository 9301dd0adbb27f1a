export { createEmulatorClient } from "./emulator-client";
export { startBedrockEmulator, type BedrockEmulator, type BedrockEmulatorOptions } from "./server";
export type { BackgroundRemovalMode } from "./background-removal";
export type { EmulatorFaults } from "./faults";
export {
  STABILITY_LIMITS,
  INPAINT_MODEL_ID,
  ERASE_MODEL_ID,
  InpaintBodySchema,
  EraseBodySchema,
  OUTPAINT_MODEL_ID,
  SEARCH_REPLACE_MODEL_ID,
  SEARCH_RECOLOR_MODEL_ID,
  REMOVE_BACKGROUND_MODEL_ID,
  OutpaintBodySchema,
  SearchReplaceBodySchema,
  SearchRecolorBodySchema,
  RemoveBackgroundBodySchema,
} from "./stability-models";
export {
  NOVA_CANVAS_LIMITS,
  NOVA_CANVAS_MODEL_ID,
  NOVA_CANVAS_US_PROFILE_ID,
  NovaCanvasBodySchema,
  type NovaCanvasBody,
} from "./nova-canvas-model";
