import {
  EngineRefusedError,
  type EngineCapabilities,
  type EngineContext,
  type EngineRequest,
  type ImageEngine,
  type RasterImage,
} from "@retouch/core";
import { DEFAULT_IDLE_TIMEOUT_MS, MatteWorkerClient } from "./matte-worker-client";

export interface LocalBackgroundRemovalOptions {
  /**
   * IMG.LY's model: "medium" (88 MB, the default, finer edges) or "small" (44 MB, quantised).
   * Both ship inside the npm package.
   */
  model?: "small" | "medium";
  /** How long the model stays loaded (~850 MB) after the last job; default 5 minutes. */
  idleTimeoutMs?: number;
  /** Injected by tests that watch the worker thread; made from the options above otherwise. */
  client?: MatteWorkerClient;
}

/**
 * Background removal on this computer's CPU (`local-bg`) with IMG.LY's segmentation model
 * (`@imgly/background-removal-node`, ONNX Runtime): the result is the photo with the
 * background made transparent and the subject kept, at the same size. No mask, prompt or
 * network is needed; the model is read from the installed package on first use (a few seconds)
 * and runs in a worker thread, so the event loop never waits on it; the thread ends after
 * `idleTimeoutMs` without work, freeing the model's memory.
 *
 * @example
 * ```ts
 * const engine = createLocalBackgroundRemovalEngine();
 * const [cutOut] = await engine.run(
 *   { operation: "remove-background", image, mask: null, prompt: null, negativePrompt: null, count: 1, seed: 0, options: {} },
 *   { signal: AbortSignal.timeout(300_000), onProgress: () => {} },
 * );
 * ```
 */
export function createLocalBackgroundRemovalEngine(options: LocalBackgroundRemovalOptions = {}): ImageEngine {
  const client =
    options.client ??
    new MatteWorkerClient(options.model ?? "medium", options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
  const capabilities: EngineCapabilities = {
    id: "local-bg",
    label: "Background removal",
    description:
      "Makes the background transparent and keeps the subject, on this computer's CPU (IMG.LY's " +
      "segmentation model). It needs no mask and does not use the prompt.",
    operations: ["remove-background"],
    usesPrompt: false,
    usesNegativePrompt: false,
    usesSeed: false,
    // The model is deterministic: more results would be copies.
    maxResults: 1,
    // The matte is predicted at 1024×1024 and scaled to the image, so large photos keep their
    // resolution; the limit only bounds memory.
    maxPixels: 40_000_000,
    maxSide: 12_000,
    minSide: 16,
  };
  return {
    capabilities,
    async run(request: EngineRequest, context: EngineContext): Promise<RasterImage[]> {
      const { image } = request;
      if (request.operation !== "remove-background") {
        throw new EngineRefusedError(`Engine ${capabilities.id} does not support ${request.operation}`);
      }
      if (!image) throw new EngineRefusedError(`Engine ${capabilities.id} needs an image`);
      if (request.count !== 1) {
        throw new EngineRefusedError(`Engine ${capabilities.id} returns 1 result, not ${request.count}`);
      }
      const { width, height } = image;
      if (Math.min(width, height) < capabilities.minSide || width * height > capabilities.maxPixels) {
        throw new EngineRefusedError(
          `Engine ${capabilities.id} needs sides of at least ${capabilities.minSide} px and at most ` +
            `${capabilities.maxPixels} pixels, not ${width}×${height}`,
        );
      }
      const data = await client.cutOut(image, context.signal);
      context.onProgress(1);
      return [{ width, height, data }];
    },
  };
}
