import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import type { AppConfig, ImageEngine } from "@retouch/core";
import { createBedrockStabilityEngine } from "./bedrock";
import { createFastMarchingEngine } from "./fast-marching/fast-marching-engine";
import { createPatchMatchEngine } from "./patch-match/patch-match-engine";

export type EngineSettings = Pick<AppConfig, "engines" | "bedrockRegion" | "bedrockEndpoint">;

/**
 * The engines the configuration enables, in its order. A `BedrockRuntimeClient` is created only
 * when `bedrock-stability` is enabled; without `bedrockEndpoint` the SDK picks the endpoint itself
 * (so `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` and profiles work as usual).
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
      case "bedrock-stability":
        return createBedrockStabilityEngine({
          client: new BedrockRuntimeClient({
            region: settings.bedrockRegion,
            ...(settings.bedrockEndpoint ? { endpoint: settings.bedrockEndpoint } : {}),
          }),
        });
    }
  });
}
