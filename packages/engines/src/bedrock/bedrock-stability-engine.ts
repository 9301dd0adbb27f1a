import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import type { EngineCapabilities, ImageEngine } from "@retouch/core";
import { createBedrockEngine, type RoutedModel } from "./bedrock-engine-core";
import type { RetryPolicy } from "./retry";
import { STABILITY_PROFILES, STABILITY_MODEL_KEYS, type StabilityModelKey } from "./stability-profiles";

export interface BedrockStabilityEngineOptions {
  /** Injected so callers choose region, credentials and endpoint (e.g. the local emulator). */
  client: BedrockRuntimeClient;
  /** Overrides the model ids, e.g. for cross-region inference profiles. */
  modelIds?: Partial<Record<StabilityModelKey, string>>;
  /**
   * The models this engine may use (default: every one in `STABILITY_PROFILES`); the others'
   * operations are not offered, e.g. where the deployment's role may invoke only some models.
   */
  keys?: readonly StabilityModelKey[];
  /** Backoff for throttling and unavailability; tests pass tiny delays. */
  retry?: Partial<RetryPolicy>;
}

/**
 * An engine backed by the Stability AI Image Services on Amazon Bedrock: `inpaint` (prompt
 * required) with Stable Image Inpaint and `erase` (no prompt) with Stable Image Erase Object.
 * Each result is one `InvokeModel` call (result i uses seed + i). Throttling and temporary
 * unavailability are retried with capped exponential backoff and jitter.
 *
 * @example
 * ```ts
 * const engine = createBedrockStabilityEngine({ client: new BedrockRuntimeClient({ region: "us-west-2" }) });
 * const [out] = await engine.run({ operation: "erase", image, mask, prompt: null, negativePrompt: null,
 *   count: 1, seed: 7, options: {} }, { signal: AbortSignal.timeout(120_000), onProgress: () => {} });
 * ```
 */
export function createBedrockStabilityEngine(options: BedrockStabilityEngineOptions): ImageEngine {
  const keys = options.keys ?? STABILITY_MODEL_KEYS;
  const profiles = new Map<string, RoutedModel>(
    keys.map((key) => {
      const profile = STABILITY_PROFILES[key];
      return [key, { profile, modelId: options.modelIds?.[key] ?? profile.defaultModelId }];
    }),
  );
  const limits = STABILITY_PROFILES.inpaint.limits;
  const capabilities: EngineCapabilities = {
    id: "bedrock-stability",
    label: "Stability AI on Amazon Bedrock",
    description:
      "Generative fill with Stability AI's Stable Image models on Amazon Bedrock: inpaint follows the " +
      "prompt to paint new content into the masked area; erase removes what the mask covers; " +
      "outpaint extends the margins; replace swaps what options.searchPrompt names (or recolours " +
      'options.selectPrompt with options.mode "recolor"); remove-background keeps the subject.',
    operations: [...new Set(keys.map((key) => STABILITY_PROFILES[key].operation))],
    usesPrompt: true,
    usesNegativePrompt: true,
    usesSeed: true,
    maxResults: 4,
    maxPixels: limits.maxPixels,
    // No documented side limit beyond the pixel count; 4096 keeps extreme aspect ratios sane.
    maxSide: 4096,
    minSide: limits.minSide,
  };
  return createBedrockEngine({
    client: options.client,
    capabilities,
    ...(options.retry ? { retry: options.retry } : {}),
    route: (request) =>
      // A mode naming another model of the same operation picks it (recolor for replace).
      (typeof request.options["mode"] === "string" &&
      profiles.get(request.options["mode"])?.profile.operation === request.operation
        ? profiles.get(request.options["mode"])
        : undefined) ?? profiles.get(request.operation),
  });
}
