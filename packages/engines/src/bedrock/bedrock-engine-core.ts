import { InvokeModelCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import {
  EngineRefusedError,
  ServiceUnavailableError,
  type BinaryMask,
  type EngineCapabilities,
  type EngineContext,
  type EngineRequest,
  type ImageEngine,
  type RasterImage,
} from "@retouch/core";
import { decodeRaster, encodeMaskPng, encodePng, flattenOnWhite } from "@retouch/imaging";
import {
  CONTENT_FILTER_MESSAGE,
  describeSdkError,
  isRetryable,
  mapBedrockError,
  retriesExhaustedError,
} from "./bedrock-errors";
import type { BedrockModelProfile, PreparedCanvas } from "./model-profile";
import { DEFAULT_RETRY_POLICY, backoffDelay, sleep, type RetryPolicy } from "./retry";

/** A profile and the model id (base id, inference profile or ARN) it is invoked with. */
export interface RoutedModel {
  profile: BedrockModelProfile;
  modelId: string;
}

export interface BedrockEngineSpec {
  /** Injected so callers choose region, credentials and endpoint (e.g. the local emulator). */
  client: BedrockRuntimeClient;
  capabilities: EngineCapabilities;
  /** The model serving a request, or undefined when the engine does not offer it. */
  route(request: EngineRequest): RoutedModel | undefined;
  /** Backoff for throttling and unavailability; tests pass tiny delays. */
  retry?: Partial<RetryPolicy>;
}

/** Size of the blank canvas a text-to-image profile paints when the request names none. */
const DEFAULT_GENERATED_SIDE = 1024;

/**
 * The machinery every Bedrock image engine shares, whatever the model family: route the request
 * to a model profile, check it against the profile's limits before anything is paid for, let the
 * profile fit the image and build the `InvokeModel` body, retry throttling and temporary
 * unavailability with capped exponential backoff and jitter, map service errors to typed errors,
 * and decode the answer back to the request's size.
 *
 * @example
 * ```ts
 * const engine = createBedrockEngine({
 *   client: new BedrockRuntimeClient({ region: "us-east-1" }),
 *   capabilities,
 *   route: (request) => (request.operation === "erase" ? { profile, modelId: profile.defaultModelId } : undefined),
 * });
 * ```
 */
export function createBedrockEngine(spec: BedrockEngineSpec): ImageEngine {
  const { client, capabilities } = spec;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...spec.retry };

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
        if (isRetryable(error)) throw retriesExhaustedError(error, modelId, region, attempt);
        throw mapBedrockError(error, modelId, region) ?? error;
      }
    }
  }

  return {
    capabilities,
    async run(request: EngineRequest, context: EngineContext): Promise<RasterImage[]> {
      const routed = spec.route(request);
      if (!routed)
        throw new EngineRefusedError(`Engine ${capabilities.id} does not support ${request.operation}`);
      const { profile, modelId } = routed;
      const { image, mask } = checkRequest(capabilities, profile, request);
      const prepared: PreparedCanvas = profile.prepare
        ? await profile.prepare(image, mask)
        : { image, mask, restore: (result) => result };
      // Bedrock's image models take PNG/JPEG RGB without transparency (Nova Canvas refuses
      // translucent pixels; Stability can take an alpha channel for the mask), so every input is opaque.
      // The pipeline composites the answer inside the mask only, so alpha outside it survives.
      const canvas: PreparedCanvas =
        profile.usesImage === false ? prepared : { ...prepared, image: flattenOnWhite(prepared.image) };
      const imagePng = profile.usesImage === false ? new Uint8Array() : await encodePng(canvas.image);
      const maskPng = profile.usesMask === false ? new Uint8Array() : await encodeMaskPng(canvas.mask);
      const perCall = Math.max(1, profile.maxImagesPerCall ?? 1);
      const results: RasterImage[] = [];
      while (results.length < request.count) {
        context.signal.throwIfAborted();
        const count = Math.min(perCall, request.count - results.length);
        // Result i uses seed + i, so one result can be reproduced alone.
        const seed = (request.seed + results.length) % (profile.limits.maxSeed + 1);
        const body = await profile.buildBody({
          image: canvas.image,
          mask: canvas.mask,
          options: request.options,
          imagePng,
          maskPng,
          prompt: request.prompt,
          negativePrompt: profile.usesNegativePrompt ? request.negativePrompt : null,
          seed,
          count,
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
          throw new EngineRefusedError(`${CONTENT_FILTER_MESSAGE} (${output.reason})`);
        }
        if (output.kind === "failed") {
          throw new ServiceUnavailableError(
            `Bedrock model ${modelId} failed to produce an image (${output.reason}); try again later`,
          );
        }
        if (output.images.length !== count) {
          throw new Error(`Bedrock model ${modelId} returned ${output.images.length} images for ${count}`);
        }
        for (const bytes of output.images) {
          const decoded = await decodeRaster(bytes);
          if (
            profile.usesImage !== false &&
            (decoded.width !== canvas.image.width || decoded.height !== canvas.image.height)
          ) {
            throw new Error(
              `Bedrock model ${modelId} returned ${decoded.width}×${decoded.height} for a ` +
                `${canvas.image.width}×${canvas.image.height} image`,
            );
          }
          results.push(await canvas.restore(decoded));
        }
        context.onProgress(results.length / request.count);
      }
      return results;
    },
  };
}

/** Refuses what the model cannot serve, before any call is paid for. */
function checkRequest(caps: EngineCapabilities, profile: BedrockModelProfile, request: EngineRequest) {
  const { count, prompt } = request;
  const image = profile.usesImage === false ? blankCanvas(request) : request.image;
  // Mask-free models (search-replace, remove-background) get a blank mask they ignore; a
  // text-to-image canvas has no pixels, so neither has its mask.
  const maskBytes = image && profile.usesImage !== false ? image.width * image.height : 0;
  const mask: BinaryMask | null | undefined =
    request.mask ??
    (image && profile.usesMask === false
      ? { width: image.width, height: image.height, data: new Uint8Array(maskBytes) }
      : undefined);
  if (!image || !mask) throw new EngineRefusedError(`Engine ${caps.id} needs an image and a mask`);
  if (mask.width !== image.width || mask.height !== image.height) {
    throw new EngineRefusedError(`Engine ${caps.id} needs a mask the size of the image`);
  }
  if (!Number.isInteger(count) || count < 1 || count > caps.maxResults) {
    throw new EngineRefusedError(`Engine ${caps.id} returns 1 to ${caps.maxResults} results, not ${count}`);
  }
  const { minSide, maxPixels, maxPromptLength } = profile.limits;
  // Profiles that fit the image themselves (scaling, padding) accept any size.
  if (
    !profile.prepare &&
    (Math.min(image.width, image.height) < minSide || image.width * image.height > maxPixels)
  ) {
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

/**
 * The picture a text-to-image model paints: only its size (`options.width`/`options.height`)
 * matters, so it holds no pixels; its profile's `prepare` fits the size to the model.
 */
function blankCanvas(request: EngineRequest): RasterImage {
  const side = (key: string) => {
    const value = request.options[key];
    return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : DEFAULT_GENERATED_SIDE;
  };
  const width = side("width");
  const height = side("height");
  return { width, height, data: new Uint8Array() };
}
