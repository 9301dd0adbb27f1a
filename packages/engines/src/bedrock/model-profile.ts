import type { BinaryMask, EditOptions, Operation, RasterImage } from "@retouch/core";

/** What a profile needs to build one request: the image and mask already encoded as PNG. */
export interface ProfileInput {
  imagePng: Uint8Array;
  /** White where the model may change pixels. */
  maskPng: Uint8Array;
  prompt: string | null;
  negativePrompt: string | null;
  /** In the model's seed range. */
  seed: number;
  /** The raw request, for profiles that derive more than the PNGs (e.g. outpaint margins). */
  image: RasterImage;
  mask: BinaryMask;
  options: EditOptions;
  /** How many images this one call should return (at most the profile's `maxImagesPerCall`). */
  count: number;
}

/**
 * The picture a model works on after a profile fitted it into the model's accepted sizes, and
 * how to map one answer back to the size of the request's image.
 */
export interface PreparedCanvas {
  image: RasterImage;
  mask: BinaryMask;
  restore(result: RasterImage): RasterImage | Promise<RasterImage>;
}

/**
 * One model's answer: the images it returned, that its content filter withheld them, or that it
 * failed without filtering anything. `reason` is shown to the user in brackets, e.g.
 * "Filter reason: output image".
 */
export type ProfileOutput =
  | { kind: "images"; images: Uint8Array[] }
  | { kind: "filtered"; reason: string }
  | { kind: "failed"; reason: string };

/** Documented input limits of one model. */
export interface ModelLimits {
  minSide: number;
  maxPixels: number;
  maxPromptLength: number;
  maxSeed: number;
}

/**
 * Everything the Bedrock engine knows about one model, in one small file per model: its default
 * id, the operation it serves, its limits, how to build its `InvokeModel` body and how to read
 * its response. Adding a model means adding a profile, not touching the engine.
 */
export interface BedrockModelProfile {
  defaultModelId: string;
  operation: Operation;
  promptRequired: boolean;
  usesNegativePrompt: boolean;
  limits: ModelLimits;
  /**
   * False for models that need no painted mask (search-replace, remove-background, Nova Canvas
   * inpainting that may find its area by a mask prompt): a missing mask becomes a blank one, and
   * the engine encodes no mask PNG (the profile builds its own from `mask` if it wants one).
   */
  usesMask?: boolean;
  /**
   * False for models that paint from a prompt alone (text-to-image); they get a blank canvas of
   * the size in `options.width`/`options.height` (default 1024×1024) and no source image.
   */
  usesImage?: boolean;
  /** Images one call can return (default 1); the engine asks for more in as few calls as it can. */
  maxImagesPerCall?: number;
  /**
   * Fits the request's image and mask into the sizes the model accepts (scaling, padding) and
   * maps answers back. Profiles without it get the image as it is, checked against `limits`.
   */
  prepare?(image: RasterImage, mask: BinaryMask): PreparedCanvas | Promise<PreparedCanvas>;
  /** May reject a request that cannot fit the model (throws `EngineRefusedError`). */
  buildBody(input: ProfileInput): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Throws a plain `Error` when the body is not what the model documents. */
  parseResponse(body: unknown): ProfileOutput;
}
