export { createEngineRegistry, type EngineRegistry } from "./registry";
export { createFastMarchingEngine } from "./fast-marching/fast-marching-engine";
export { createDefaultLocalEngines } from "./default-engines";
export { createConfiguredEngines, type EngineSettings } from "./configured-engines";
export { createPatchMatchEngine } from "./patch-match/patch-match-engine";
export { patchMatchFill, type FillInput, type FillHooks } from "./patch-match/patch-match-fill";
export {
  createBedrockRuntimeClient,
  type BedrockClientSettings,
  createBedrockStabilityEngine,
  stabilityEraseProfile,
  stabilityInpaintProfile,
  type BedrockModelProfile,
  type BedrockStabilityEngineOptions,
  type RetryPolicy,
} from "./bedrock";
export {
  createBedrockNovaCanvasEngine,
  NOVA_CANVAS_MODEL_ID,
  type BedrockNovaCanvasEngineOptions,
} from "./bedrock";
export {
  createOpenAiCompatibleEngine,
  type OpenAiCompatibleEngineOptions,
} from "./openai-compatible/openai-compatible-engine";
export {
  createLocalBackgroundRemovalEngine,
  type LocalBackgroundRemovalOptions,
} from "./local-bg/local-bg-engine";
