export { createBedrockStabilityEngine, type BedrockStabilityEngineOptions } from "./bedrock-stability-engine";
export type { BedrockModelProfile, ModelLimits, ProfileInput, ProfileOutput } from "./model-profile";
export { stabilityInpaintProfile } from "./stability-inpaint";
export { stabilityEraseProfile } from "./stability-erase";
export type { RetryPolicy } from "./retry";
