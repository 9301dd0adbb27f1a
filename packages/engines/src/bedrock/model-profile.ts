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
}

/** One model's answer: the images it returned, or that its content filter withheld them. */
export type ProfileOutput = { kind: "images"; images: Uint8Array[] } | { kind: "filtered"; reason: string };

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
  /** False for models that take no mask (search-replace, remove-background). */
  usesMask?: boolean;
  /** May reject a request that cannot fit the model (throws `EngineRefusedError`). */
  buildBody(input: ProfileInput): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Throws a plain `Error` when the body is not what the model documents. */
  parseResponse(body: unknown): ProfileOutput;
}
