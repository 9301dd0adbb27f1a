import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import {
  EngineRefusedError,
  ServiceUnavailableError,
  type EngineCapabilities,
  type ImageEngine,
  type Operation,
} from "@retouch/core";
import { createBedrockEngine, type RoutedModel } from "./bedrock-engine-core";
import type { BedrockModelProfile } from "./model-profile";
import { NOVA_CANVAS_GENERATION, NOVA_CANVAS_MODEL_ID } from "./nova-canvas-shared";
import { NOVA_CANVAS_SIZE_RULES } from "./nova-canvas-size";
import { novaEraseProfile } from "./nova-erase";
import { novaGenerateProfile } from "./nova-generate";
import { novaInpaintProfile } from "./nova-inpaint";
import { novaOutpaintProfile } from "./nova-outpaint";
import { novaRemoveBackgroundProfile } from "./nova-remove-background";
import { novaReplaceProfile } from "./nova-replace";
import { novaVariationProfile } from "./nova-variation";
import type { RetryPolicy } from "./retry";

export interface BedrockNovaCanvasEngineOptions {
  /** Injected so callers choose region, credentials and endpoint (e.g. the local emulator). */
  client: BedrockRuntimeClient;
  /**
   * The model id, inference profile id or ARN to invoke (default `amazon.nova-canvas-v1:0`);
   * one model serves every operation.
   */
  modelId?: string;
  /** Backoff for throttling and unavailability; tests pass tiny delays. */
  retry?: Partial<RetryPolicy>;
}

const PROFILES: readonly BedrockModelProfile[] = [
  novaInpaintProfile,
  novaEraseProfile,
  novaReplaceProfile,
  novaOutpaintProfile,
  novaRemoveBackgroundProfile,
  novaVariationProfile,
  novaGenerateProfile,
];

/**
 * An engine backed by Amazon Nova Canvas on Amazon Bedrock: inpaint, erase (inpainting without
 * text), replace (inpainting with a mask prompt), outpaint, remove-background, variation and
 * generate. Images are fitted into the sizes Nova accepts (padded to multiples of 16 and to a
 * 1:4–4:1 aspect ratio, scaled only when they must be) and the answers mapped back to the
 * request's size. Up to 5 results come from one `InvokeModel` call.
 *
 * Nova Canvas is a Legacy model on Bedrock (end of life 2026-09-30 per
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle.html); after that date
 * Bedrock refuses it, which this engine reports as the service's error.
 *
 * @example
 * ```ts
 * const engine = createBedrockNovaCanvasEngine({ client: new BedrockRuntimeClient({ region: "us-east-1" }) });
 * const [out] = await engine.run({ operation: "erase", image, mask, prompt: null, negativePrompt: null,
 *   count: 1, seed: 7, options: {} }, { signal: AbortSignal.timeout(120_000), onProgress: () => {} });
 * ```
 */
export function createBedrockNovaCanvasEngine(options: BedrockNovaCanvasEngineOptions): ImageEngine {
  const modelId = options.modelId ?? NOVA_CANVAS_MODEL_ID;
  const routes = new Map<Operation, RoutedModel>(
    PROFILES.map((profile) => [profile.operation, { profile, modelId }]),
  );
  const capabilities: EngineCapabilities = {
    id: "bedrock-nova-canvas",
    label: "Amazon Nova Canvas on Amazon Bedrock (Legacy)",
    description:
      "Amazon Nova Canvas on Amazon Bedrock: inpaint paints the prompt into the painted area (or the one " +
      "options.maskPrompt names); erase removes it; replace swaps what options.searchPrompt names; outpaint " +
      "extends the margins; remove-background keeps the subject; variation and generate make new images. " +
      "Legacy model: Bedrock ends it on 2026-09-30.",
    operations: [...routes.keys()],
    usesPrompt: true,
    usesNegativePrompt: true,
    usesSeed: true,
    maxResults: NOVA_CANVAS_GENERATION.maxImages,
    // Below the documented 4,194,304 so that padding to multiples of 16 never pushes a pipeline
    // image over it (padding adds at most 15 px per side); larger images are scaled by the pipeline.
    maxPixels: 4_000_000,
    maxSide: NOVA_CANVAS_SIZE_RULES.maxSide,
    // Smaller images are scaled up or padded by the engine itself.
    minSide: 1,
    // Inpaint and erase send options.maskPrompt as Nova's maskPrompt when no mask is painted.
    maskPrompt: true,
  };
  const engine = createBedrockEngine({
    client: options.client,
    capabilities,
    ...(options.retry ? { retry: options.retry } : {}),
    route: (request) => routes.get(request.operation),
  });
  return {
    capabilities,
    async run(request, context) {
      try {
        return await engine.run(request, context);
      } catch (error) {
        throw withLifecycleHint(error);
      }
    },
  };
}

/**
 * Past its end of life Bedrock stops knowing the model, which reads like a typo in the model id;
 * saying that Nova Canvas is retired tells the operator what to do instead.
 */
function withLifecycleHint(error: unknown): unknown {
  const hint =
    ". Amazon Nova Canvas is a Legacy model on Bedrock with end of life on 2026-09-30; " +
    "if that date has passed, enable another engine (e.g. bedrock-stability)";
  if (error instanceof ServiceUnavailableError && /is not available in region/.test(error.message)) {
    return new ServiceUnavailableError(error.message + hint);
  }
  if (error instanceof EngineRefusedError && /model identifier is invalid/i.test(error.message)) {
    return new EngineRefusedError(error.message + hint);
  }
  return error;
}
