import { ValidationError, type AppConfig, type ImageEngine } from "@retouch/core";
import {
  createBedrockNovaCanvasEngine,
  createBedrockRuntimeClient,
  createBedrockStabilityEngine,
  isStabilityModelKey,
  STABILITY_MODEL_KEYS,
  type StabilityModelKey,
} from "./bedrock";
import { createFastMarchingEngine } from "./fast-marching/fast-marching-engine";
import { createLocalBackgroundRemovalEngine } from "./local-bg/local-bg-engine";
import { createOpenAiCompatibleEngine } from "./openai-compatible/openai-compatible-engine";
import { createPatchMatchEngine } from "./patch-match/patch-match-engine";

export type EngineSettings = Pick<AppConfig, "engines"> &
  Partial<Pick<AppConfig, "bedrockRegion" | "bedrockEndpoint">> &
  Partial<Pick<AppConfig, "openAiBaseUrl" | "openAiApiKey" | "openAiModel">> &
  Partial<Pick<AppConfig, "bedrockNovaModelId" | "bedrockStabilityModelIds">>;

/**
 * The engines the configuration enables, in its order. A Bedrock Runtime client is created only
 * when a Bedrock engine (`bedrock-stability`, `bedrock-nova-canvas`) is enabled; without
 * `bedrockRegion` or `bedrockEndpoint` the SDK resolves them itself (so `AWS_REGION`,
 * `AWS_PROFILE` and `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` work as usual).
 *
 * @example
 * ```ts
 * const registry = createEngineRegistry(createConfiguredEngines(loadConfig(process.env)));
 * ```
 */
export function createConfiguredEngines(settings: EngineSettings): ImageEngine[] {
  return settings.engines.map((id) => {
    switch (id) {
      case "local-fill":
        return createPatchMatchEngine();
      case "local-fill-fast":
        return createFastMarchingEngine();
      case "local-bg":
        return createLocalBackgroundRemovalEngine();
      case "openai-compatible":
        return createOpenAiCompatibleEngine(openAiSettings(settings));
      case "bedrock-stability":
        return createBedrockStabilityEngine({
          client: createBedrockRuntimeClient({
            region: settings.bedrockRegion,
            endpoint: settings.bedrockEndpoint,
          }),
          modelIds: stabilityModelIds(settings),
        });
      case "bedrock-nova-canvas":
        return createBedrockNovaCanvasEngine({
          client: createBedrockRuntimeClient({
            region: settings.bedrockRegion,
            endpoint: settings.bedrockEndpoint,
          }),
          ...(settings.bedrockNovaModelId ? { modelId: settings.bedrockNovaModelId } : {}),
        });
    }
  });
}

/** The configured Stability model ids; refuses a key that names none of the engine's models. */
function stabilityModelIds(settings: EngineSettings): Partial<Record<StabilityModelKey, string>> {
  const ids = settings.bedrockStabilityModelIds ?? {};
  const unknown = Object.keys(ids).filter((key) => !isStabilityModelKey(key));
  if (unknown.length > 0) {
    throw new ValidationError(
      `Invalid configuration: RETOUCH_BEDROCK_STABILITY_MODEL_IDS: ${unknown.map((k) => `'${k}'`).join(", ")} ` +
        `names no model of bedrock-stability (${STABILITY_MODEL_KEYS.join(", ")})`,
    );
  }
  return ids;
}

/** The openai-compatible engine's settings; refuses to start without a base URL or key. */
function openAiSettings(settings: EngineSettings) {
  const missing = [
    ...(settings.openAiBaseUrl ? [] : ["RETOUCH_OPENAI_BASE_URL (e.g. https://api.openai.com)"]),
    ...(settings.openAiApiKey ? [] : ["RETOUCH_OPENAI_API_KEY (or OPENAI_API_KEY)"]),
  ];
  if (!settings.openAiBaseUrl || !settings.openAiApiKey) {
    throw new ValidationError(
      `Invalid configuration: the openai-compatible engine is enabled but ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set`,
    );
  }
  return {
    baseUrl: settings.openAiBaseUrl,
    apiKey: settings.openAiApiKey,
    ...(settings.openAiModel ? { model: settings.openAiModel } : {}),
  };
}
