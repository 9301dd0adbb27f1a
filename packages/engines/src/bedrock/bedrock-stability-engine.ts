import { InvokeModelCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import {
  EngineRefusedError,
  ServiceUnavailableError,
  type EngineCapabilities,
  type EngineContext,
  type EngineRequest,
  type ImageEngine,
  type RasterImage,
} from "@retouch/core";
import { decodeRaster, encodeMaskPng, encodePng } from "@retouch/imaging";
import { CONTENT_FILTER_MESSAGE, describeSdkError, isRetryable, mapBedrockError } from "./bedrock-errors";
import type { BedrockModelProfile } from "./model-profile";
import { DEFAULT_RETRY_POLICY, backoffDelay, sleep, type RetryPolicy } from "./retry";
import { stabilityEraseProfile } from "./stability-erase";
import { stabilityInpaintProfile } from "./stability-inpaint";
import { stabilityOutpaintProfile } from "./stability-outpaint";
import { stabilityRemoveBackgroundProfile } from "./stability-remove-background";
import { stabilitySearchRecolorProfile } from "./stability-search-recolor";
import { stabilitySearchReplaceProfile } from "./stability-search-replace";

export interface BedrockStabilityEngineOptions {
  /** Injected so callers choose region, credentials and endpoint (e.g. the local emulator). */
  client: BedrockRuntimeClient;
  /** Overrides the model ids, e.g. for cross-region inference profiles. */
  modelIds?: {
    inpaint?: string;
    erase?: string;
    outpaint?: string;
    replace?: string;
    recolor?: string;
    "remove-background"?: string;
  };
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
  const { client } = options;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const entry = (
    key: keyof NonNullable<BedrockStabilityEngineOptions["modelIds"]>,
    profile: BedrockModelProfile,
  ) => [key, { profile, modelId: options.modelIds?.[key] ?? profile.defaultModelId }] as const;
  // `recolor` is not an operation of ours: it serves `replace` when options.mode === "recolor".
  const profiles = new Map<string, { profile: BedrockModelProfile; modelId: string }>([
    entry("inpaint", stabilityInpaintProfile),
    entry("erase", stabilityEraseProfile),
    entry("outpaint", stabilityOutpaintProfile),
    entry("replace", stabilitySearchReplaceProfile),
    entry("recolor", stabilitySearchRecolorProfile),
    entry("remove-background", stabilityRemoveBackgroundProfile),
  ]);
  const limits = stabilityInpaintProfile.limits;
  const capabilities: EngineCapabilities = {
    id: "bedrock-stability",
    label: "Stability AI on Amazon Bedrock",
    description:
      "Generative fill with Stability AI's Stable Image models on Amazon Bedrock: inpaint follows the " +
      "prompt to paint new content into the masked area; erase removes what the mask covers; " +
      "outpaint extends the margins; replace swaps what options.searchPrompt names (or recolours " +
      'options.selectPrompt with options.mode "recolor"); remove-background keeps the subject.',
    operations: ["inpaint", "erase", "outpaint", "replace", "remove-background"],
    usesPrompt: true,
    usesNegativePrompt: true,
    usesSeed: true,
    maxResults: 4,
    maxPixels: limits.maxPixels,
    // No documented side limit beyond the pixel count; 4096 keeps extreme aspect ratios sane.
    maxSide: 4096,
    minSide: limits.minSide,
  };

  async function invoke(
    modelId: string,
    body: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<unknown> {
    const region = await client.config.region();
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await client.send(
          new InvokeModelCommand({
            modelId,
            contentType: "application/json",
            accept: "application/json",
            body: JSON.stringify(body),
          }),
          { abortSignal: signal },
        );
        const text = new TextDecoder().decode(response.body);
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new Error(`Bedrock model ${modelId} answered with a body that is not JSON`);
        }
      } catch (error) {
        signal.throwIfAborted();
        if (isRetryable(error) && attempt < policy.maxAttempts) {
          await sleep(backoffDelay(policy, attempt - 1), signal);
          continue;
        }
        const mapped = mapBedrockError(error, modelId, region);
        if (mapped && isRetryable(error)) {
          throw new ServiceUnavailableError(
            `Bedrock model ${modelId} in ${region} is still busy after ${attempt} attempts ` +
              `(${describeSdkError(error).name}); try again later`,
          );
        }
        throw mapped ?? error;
      }
    }
  }

  return {
    capabilities,
    async run(request: EngineRequest, context: EngineContext): Promise<RasterImage[]> {
      const key =
        request.operation === "replace" && request.options["mode"] === "recolor"
          ? "recolor"
          : request.operation;
      const entry = profiles.get(key);
      if (!entry)
        throw new EngineRefusedError(`Engine ${capabilities.id} does not support ${request.operation}`);
      const { profile, modelId } = entry;
      const { image, mask } = checkRequest(capabilities, profile, request);
      const imagePng = await encodePng(image);
      const maskPng = profile.usesMask === false ? new Uint8Array() : await encodeMaskPng(mask);
      const results: RasterImage[] = [];
      for (let i = 0; i < request.count; i++) {
        context.signal.throwIfAborted();
        const seed = (request.seed + i) % (profile.limits.maxSeed + 1);
        const body = await profile.buildBody({
          image,
          mask,
          options: request.options,
          imagePng,
          maskPng,
          prompt: request.prompt,
          negativePrompt: profile.usesNegativePrompt ? request.negativePrompt : null,
          seed,
        });
        const json = await invoke(modelId, body, context.signal);
        let output;
        try {
          output = profile.parseResponse(json);
        } catch (error) {
          throw new Error(
            `Bedrock model ${modelId} answered unexpectedly: ${describeSdkError(error).message}`,
          );
        }
        if (output.kind === "filtered") {
          throw new EngineRefusedError(`${CONTENT_FILTER_MESSAGE} (finish reason ${output.reason})`);
        }
        const decoded = await decodeRaster(output.images[0]!);
        if (decoded.width !== image.width || decoded.height !== image.height) {
          throw new Error(
            `Bedrock model ${modelId} returned ${decoded.width}×${decoded.height} for a ${image.width}×${image.height} image`,
          );
        }
        results.push(decoded);
        context.onProgress((i + 1) / request.count);
      }
      return results;
    },
  };
}

/** Refuses what the models cannot serve, before any call is paid for. */
function checkRequest(caps: EngineCapabilities, profile: BedrockModelProfile, request: EngineRequest) {
  const { image, count, prompt } = request;
  // Mask-free models (search-replace, remove-background) get a blank mask they ignore.
  const mask =
    request.mask ??
    (image && profile.usesMask === false
      ? { width: image.width, height: image.height, data: new Uint8Array(image.width * image.height) }
      : undefined);
  if (!image || !mask) throw new EngineRefusedError(`Engine ${caps.id} needs an image and a mask`);
  if (mask.width !== image.width || mask.height !== image.height) {
    throw new EngineRefusedError(`Engine ${caps.id} needs a mask the size of the image`);
  }
  if (!Number.isInteger(count) || count < 1 || count > caps.maxResults) {
    throw new EngineRefusedError(`Engine ${caps.id} returns 1 to ${caps.maxResults} results, not ${count}`);
  }
  const { minSide, maxPixels, maxPromptLength } = profile.limits;
  if (Math.min(image.width, image.height) < minSide || image.width * image.height > maxPixels) {
    throw new EngineRefusedError(
      `Engine ${caps.id} needs every side at least ${minSide} px and at most ${maxPixels} pixels, ` +
        `not ${image.width}×${image.height}`,
    );
  }
  if (profile.promptRequired && !prompt?.trim()) {
    throw new EngineRefusedError(`Engine ${caps.id} needs a prompt for ${request.operation}`);
  }
  if ((prompt?.length ?? 0) > maxPromptLength || (request.negativePrompt?.length ?? 0) > maxPromptLength) {
    throw new EngineRefusedError(
      `Engine ${caps.id} accepts prompts of at most ${maxPromptLength} characters`,
    );
  }
  return { image, mask };
}
