import {
  maskNamedByPrompt,
  type BinaryMask,
  type EditOptions,
  type EngineCapabilities,
  type ImageEngine,
  type Margins,
  type Operation,
  type RasterImage,
} from "@retouch/core";
import { compositeMasked } from "./composite-masked";
import { assertEngineAccepts } from "./engine-acceptance";
import { assertEngineOutput } from "./engine-output";
import { prepareInputs } from "./operation-inputs";
import { resizeMask, resizeRaster } from "./resize";
import { workingSize, type Size } from "./working-size";

/**
 * One engine run, on full-size inputs.
 *
 * @example
 * ```ts
 * const input: PipelineInput = {
 *   engine, operation: "outpaint", source, mask: null, margins: { top: 0, right: 128, bottom: 0, left: 128 },
 *   prompt: null, negativePrompt: null, count: 1, seed: 7, options: {}, signal, onProgress: () => {},
 * };
 * ```
 */
export interface PipelineInput {
  engine: ImageEngine;
  operation: Operation;
  /** The decoded source (RGBA, upright); null only for `generate`. */
  source: RasterImage | null;
  /** The user's full-size mask (inpaint, erase; optional for replace). */
  mask: BinaryMask | null;
  /** Pixels to add on each side, for outpaint only. */
  margins: Margins | null;
  prompt: string | null;
  negativePrompt: string | null;
  count: number;
  seed: number;
  options: EditOptions;
  signal: AbortSignal;
  /** Called with a growing fraction in [0, 1]; 1 is reported once, at the end. */
  onProgress(fraction: number): void;
}

/** Engine progress is mapped into this span; preparing and finishing take the rest. */
const ENGINE_START = 0.05;
const ENGINE_END = 0.95;

/**
 * Runs an engine on full-size inputs and returns `count` full-size, composited results.
 *
 * Checks the request against the engine's capabilities and the operation's needs; pads the
 * source for outpaint (edge pixels repeated into the margins, which become the mask); scales
 * image and mask to the engine's limits; checks what the engine returns; scales each result
 * back and composites it so every pixel outside the mask is bit-identical to the (padded)
 * source. Operations without a mask return the scaled results as they are; so do an inpaint or
 * erase without a painted mask whose `options.maskPrompt` names the area for an engine that
 * declares `maskPrompt` (the model changes only what the words name).
 *
 * @throws EngineRefusedError (422) when the engine lacks the operation, `count` is over its
 *   `maxResults`, or the image's shape cannot fit its size limits.
 * @throws ValidationError (400) for a missing or empty mask, missing margins, or mismatched sizes.
 * @throws the signal's reason when `signal` aborts.
 * @example
 * ```ts
 * const [result] = await runEnginePipeline({
 *   engine, operation: "erase", source, mask, margins: null, prompt: null, negativePrompt: null,
 *   count: 1, seed: 7, options: {}, signal: AbortSignal.timeout(600_000), onProgress: () => {},
 * });
 * ```
 */
export async function runEnginePipeline(input: PipelineInput): Promise<RasterImage[]> {
  const { engine, operation, count, signal } = input;
  const caps = engine.capabilities;
  assertEngineAccepts(caps, operation, count);
  const { canvas, mask } = promptedArea(caps, input)
    ? { canvas: input.source, mask: null }
    : prepareInputs(operation, input.source, input.mask, input.margins);
  signal.throwIfAborted();

  const size: Size | null = canvas && workingSize(canvas, caps);
  const image = canvas && size && (await resizeRaster(canvas, size));
  const workingMask = mask && size && (await resizeMask(mask, size));
  signal.throwIfAborted();

  const progress = monotonic(input.onProgress);
  progress(ENGINE_START);
  const results = await engine.run(
    {
      operation,
      image,
      mask: workingMask,
      prompt: input.prompt,
      negativePrompt: input.negativePrompt,
      count,
      seed: input.seed,
      options: input.options,
    },
    {
      signal,
      onProgress: (fraction) =>
        progress(ENGINE_START + (ENGINE_END - ENGINE_START) * Math.min(1, Math.max(0, fraction))),
    },
  );
  signal.throwIfAborted();
  assertEngineOutput(caps.id, results, count, size);
  progress(ENGINE_END);

  const finished: RasterImage[] = [];
  for (const result of results) {
    const full = canvas ? await resizeRaster(result, canvas) : result;
    finished.push(canvas && mask ? compositeMasked(canvas, full, mask) : full);
    signal.throwIfAborted();
  }
  progress(1);
  return finished;
}

/** Forwards only increasing fractions, so a user never sees progress go backwards. */
function monotonic(report: (fraction: number) => void): (fraction: number) => void {
  let last = -1;
  return (fraction) => {
    if (fraction <= last) return;
    last = fraction;
    report(fraction);
  };
}

/** An unmasked inpaint or erase of a source whose area the engine finds from `options.maskPrompt`. */
function promptedArea(caps: EngineCapabilities, input: PipelineInput): boolean {
  return (
    (input.operation === "inpaint" || input.operation === "erase") &&
    !input.mask &&
    !input.margins &&
    input.source !== null &&
    maskNamedByPrompt(caps, input.options)
  );
}
