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
 * The quick CPU fill (`local-fill-fast`): it fills the painted area from the pixels around it
 * (Telea's fast-marching inpainting) in milliseconds, but smooths texture away, so it suits thin
 * wires, dust and blemishes on plain areas; it ignores the prompt. With
 * `count` > 1 each result gets its own seeded grain matched to the noise around the hole
 * (result i uses seed + i), so results differ and the same seed reproduces them exactly.
 *
 * @example
 * ```ts
 * const engine = createFastMarchingEngine();
 * const [filled] = await engine.run(
 *   { operation: "erase", image, mask, prompt: null, negativePrompt: null, count: 1, seed: 7, options: {} },
 *   { signal: AbortSignal.timeout(60_000), onProgress: () => {} },
 * );
 * ```
 */
export function createFastMarchingEngine(): ImageEngine {
  const capabilities: EngineCapabilities = {
    id: "local-fill-fast",
    label: "Quick fill",
    description:
      "Blends the surrounding colours into the painted area (fast-marching), on this computer's CPU, in " +
      "a fraction of a second. It does not use the prompt and smooths texture away — for thin wires, " +
      "dust and small blemishes on plain areas; use Content-aware fill for anything larger.",
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
