export { createBedrockStabilityEngine, type BedrockStabilityEngineOptions } from "./bedrock-stability-engine";
export type { BedrockModelProfile, ModelLimits, ProfileInput, ProfileOutput } from "./model-profile";
export { stabilityInpaintProfile } from "./stability-inpaint";
export { stabilityEraseProfile } from "./stability-erase";
export { stabilityOutpaintProfile } from "./stability-outpaint";
export { stabilitySearchReplaceProfile } from "./stability-search-replace";
export { stabilitySearchRecolorProfile } from "./stability-search-recolor";
export { stabilityRemoveBackgroundProfile } from "./stability-remove-background";
export type { RetryPolicy } from "./retry";
