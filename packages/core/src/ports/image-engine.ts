import type { EditOptions, EngineCapabilities, Operation } from "../schemas";

/** Decoded pixels, 4 channels (RGBA), row-major, 8 bits each. */
export interface RasterImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** One byte per pixel: 255 where the edit may change the pixel, 0 where it must not. */
export interface BinaryMask {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface EngineRequest {
  operation: Operation;
  /** Already scaled to the engine's limits (and padded, for outpaint). */
  image: RasterImage | null;
  /** Same size as `image`. For outpaint it marks the new margins. */
  mask: BinaryMask | null;
  prompt: string | null;
  negativePrompt: string | null;
  count: number;
  seed: number;
  options: EditOptions;
}

export interface EngineContext {
  signal: AbortSignal;
  /** `fraction` in [0, 1]; engines call it as they go so users see progress. */
  onProgress(fraction: number): void;
}

/**
 * An image engine. It receives pixels already prepared to its limits and returns `count`
 * images of the same size; the pipeline scales them back and composites so that pixels
 * outside the mask stay identical to the source.
 *
 * @example
 * ```ts
 * const [out] = await engine.run({ operation: "inpaint", image, mask, count: 1, seed: 7, ... },
 *   { signal: AbortSignal.timeout(60_000), onProgress: (f) => console.error(f) });
 * ```
 */
export interface ImageEngine {
  readonly capabilities: EngineCapabilities;
  /** Rejects with `EngineRefusedError` for requests it cannot serve, with an `AbortError` when aborted. */
  run(request: EngineRequest, context: EngineContext): Promise<RasterImage[]>;
}
