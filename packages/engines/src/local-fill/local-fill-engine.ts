import {
  type EngineCapabilities,
  type EngineContext,
  type EngineRequest,
  type ImageEngine,
  type RasterImage,
} from "@retouch/core";
import { FILL_ENGINE_TRAITS, checkFillRequest } from "../check-fill-request";
import { addGrain, measureGrain } from "./film-grain";
import { teleaInpaint } from "./telea-inpaint";
import { yieldToEventLoop } from "./yield-to-event-loop";

/**
 * The CPU engine that needs no model and no network: it fills the painted area from the
 * pixels around it (Telea's fast-marching inpainting). Good for removing small objects,
 * blemishes and wires and for extending plain backgrounds; it ignores the prompt. With
 * `count` > 1 each result gets its own seeded grain matched to the noise around the hole
 * (result i uses seed + i), so results differ and the same seed reproduces them exactly.
 *
 * @example
 * ```ts
 * const engine = createLocalFillEngine();
 * const [filled] = await engine.run(
 *   { operation: "erase", image, mask, prompt: null, negativePrompt: null, count: 1, seed: 7, options: {} },
 *   { signal: AbortSignal.timeout(60_000), onProgress: () => {} },
 * );
 * ```
 */
export function createLocalFillEngine(): ImageEngine {
  const capabilities: EngineCapabilities = {
    id: "local-fill",
    label: "Local fill",
    description:
      "Fills the painted area from the surrounding pixels, on this computer's CPU. It does not use the " +
      "prompt: it cannot add new objects, only continue what is around the hole — best for removing " +
      "small objects and blemishes or extending plain backgrounds.",
    ...FILL_ENGINE_TRAITS,
  };
  return {
    capabilities,
    async run(request: EngineRequest, context: EngineContext): Promise<RasterImage[]> {
      const { image, mask } = checkFillRequest(capabilities, request);
      context.signal.throwIfAborted();
      const filled = await teleaInpaint(image, mask, context);
      const deviation = measureGrain(image, mask);
      const results: RasterImage[] = [];
      for (let i = 0; i < request.count; i++) {
        const data = addGrain(filled, mask, deviation, (request.seed + i) >>> 0);
        results.push({ width: image.width, height: image.height, data });
        await yieldToEventLoop(context.signal);
      }
      context.onProgress(1);
      return results;
    },
  };
}
