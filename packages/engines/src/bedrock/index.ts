export { createBedrockStabilityEngine, type BedrockStabilityEngineOptions } from "./bedrock-stability-engine";
export type { BedrockModelProfile, ModelLimits, ProfileInput, ProfileOutput } from "./model-profile";
export { stabilityInpaintProfile } from "./stability-inpaint";
export { stabilityEraseProfile } from "./stability-erase";
export { stabilityOutpaintProfile } from "./stability-outpaint";
export { stabilitySearchReplaceProfile } from "./stability-search-replace";
export { stabilitySearchRecolorProfile } from "./stability-search-recolor";
export { stabilityRemoveBackgroundProfile } from "./stability-remove-background";
export type { RetryPolicy } from "./retry";
export { createBedrockEngine, type BedrockEngineSpec, type RoutedModel } from "./bedrock-engine-core";
export {
  createBedrockNovaCanvasEngine,
  type BedrockNovaCanvasEngineOptions,
} from "./bedrock-nova-canvas-engine";
export { NOVA_CANVAS_MODEL_ID, NOVA_CANVAS_LIMITS } from "./nova-canvas-shared";
export { NOVA_CANVAS_SIZE_RULES, novaCanvasLayout } from "./nova-canvas-size";
export { novaInpaintProfile } from "./nova-inpaint";
export { novaEraseProfile } from "./nova-erase";
export { novaReplaceProfile } from "./nova-replace";
export { novaOutpaintProfile } from "./nova-outpaint";
export { novaRemoveBackgroundProfile } from "./nova-remove-background";
export { novaVariationProfile } from "./nova-variation";
export { novaGenerateProfile } from "./nova-generate";
export {
  createBedrockRuntimeClient,
  DEFAULT_BEDROCK_REQUEST_TIMEOUT_MS,
  FALLBACK_BEDROCK_REGION,
  type BedrockClientSettings,
} from "./bedrock-client";
export {
  STABILITY_PROFILES,
  STABILITY_MODEL_KEYS,
  STABILITY_DEFAULT_MODEL_IDS,
  isStabilityModelKey,
  type StabilityModelKey,
} from "./stability-profiles";
export {
  selectBedrockModels,
  baseModelId,
  isInferenceProfileId,
  type BedrockModelSelection,
} from "./bedrock-model-ids";
