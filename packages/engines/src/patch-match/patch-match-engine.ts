import { availableParallelism } from "node:os";
import {
  type EngineCapabilities,
  type EngineContext,
  type EngineRequest,
  type ImageEngine,
  type RasterImage,
} from "@retouch/core";
import { cropPixels } from "@retouch/imaging";
import { FILL_ENGINE_TRAITS, checkFillRequest } from "../check-fill-request";
import { fillRegion, pasteRegion } from "./fill-region";
import { fillInWorker } from "./run-in-worker";

/**
 * Content-aware fill on the CPU (`local-fill`, the default engine): multi-scale PatchMatch with
 * patch voting continues the real texture around the hole into it (see `patchMatchFill`). Results
 * run side by side on pooled worker threads, and cores left over split each result's bands;
 * result i uses seed + i, so results differ and a seed reproduces its result exactly (on any
 * number of cores). Only the hole and its surroundings are worked on (`fillRegion`), so a small
 * hole in a large photo costs little. It ignores the prompt.
 *
 * @example
 * ```ts
 * const engine = createPatchMatchEngine();
 * const [filled] = await engine.run(
 *   { operation: "erase", image, mask, prompt: null, negativePrompt: null, count: 2, seed: 7, options: {} },
 *   { signal: AbortSignal.timeout(60_000), onProgress: () => {} },
 * );
 * ```
 */
export function createPatchMatchEngine(): ImageEngine {
  const capabilities: EngineCapabilities = {
    id: "local-fill",
    label: "Content-aware fill",
    description:
      "Fills the painted area with texture found elsewhere in the photo (PatchMatch), on this computer's " +
      "CPU. It does not use the prompt: it removes objects, wires and blemishes and extends backgrounds " +
      "by continuing what is around them.",
    ...FILL_ENGINE_TRAITS,
    // Up to the default intake limit: the pyramid works large images coarse-to-fine, so the
    // pipeline never has to shrink a photo and upscale a blurry fill.
    maxPixels: 40_000_000,
    maxSide: 16_384,
  };
  return {
    capabilities,
    async run(request: EngineRequest, context: EngineContext): Promise<RasterImage[]> {
      const { image, mask } = checkFillRequest(capabilities, request);
      const progress = new Array<number>(request.count).fill(0);
      const report = () => context.onProgress(progress.reduce((a, b) => a + b, 0) / request.count);
      const cores = availableParallelism();
      const parallel = Math.max(1, Math.min(request.count, cores));
      // Spare cores split each result's bands: one result on two cores takes about half the time.
      const threadsPerResult = Math.max(1, Math.floor(cores / parallel));
      // Only the hole and the context around it are worked on; the rest is copied back untouched.
      const region = fillRegion(image.width, image.height, mask.data) ?? {
        left: 0,
        top: 0,
        width: image.width,
        height: image.height,
      };
      const pixels = cropPixels(image.data, image.width, region, 4);
      const hole = cropPixels(mask.data, image.width, region, 1);
      const results: RasterImage[] = new Array(request.count);
      let next = 0;
      const lane = async () => {
        while (next < request.count) {
          const i = next++;
          const data = await fillInWorker(
            {
              width: region.width,
              height: region.height,
              data: pixels,
              hole,
              seed: (request.seed + i) >>> 0,
            },
            context.signal,
            (fraction) => {
              progress[i] = fraction;
              report();
            },
            threadsPerResult,
          );
          results[i] = {
            width: image.width,
            height: image.height,
            data: pasteRegion(image.data, image.width, region, data),
          };
        }
      };
      await Promise.all(Array.from({ length: parallel }, lane));
      context.onProgress(1);
      return results;
    },
  };
}
