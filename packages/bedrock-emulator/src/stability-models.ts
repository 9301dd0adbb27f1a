import { z } from "zod";

/**
 * Request bodies of the Stability AI Image Services on Bedrock, as documented at
 * https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html
 * (inpaint: https://docs.aws.amazon.com/bedrock/latest/userguide/stability-ai-image-services-inpaint.html,
 * erase: https://docs.aws.amazon.com/bedrock/latest/userguide/stability-ai-image-services-erase-object.html,
 * outpaint: https://docs.aws.amazon.com/bedrock/latest/userguide/stability-ai-image-services-outpaint.html,
 * search-replace: https://docs.aws.amazon.com/bedrock/latest/userguide/stability-ai-image-services-search-replace.html,
 * search-recolor: https://docs.aws.amazon.com/bedrock/latest/userguide/stability-ai-image-services-search-recolor.html,
 * remove-background: https://docs.aws.amazon.com/bedrock/latest/userguide/stability-ai-image-services-remove-background.html).
 */
export const STABILITY_LIMITS = {
  /** Every side of the input image must be at least 64 px. */
  minSide: 64,
  /** The input image may hold at most 9,437,184 pixels (about 9.4 MP). */
  maxPixels: 9_437_184,
  /** Prompts and negative prompts are at most 10,000 characters. */
  maxPromptLength: 10_000,
  /** Seeds are integers in [0, 4294967294]; 0 means "pick one at random". */
  maxSeed: 4_294_967_294,
  /** Outpaint margins (left, right, up, down) are each 0..2000 px. */
  maxOutpaintMargin: 2000,
} as const;

export const INPAINT_MODEL_ID = "stability.stable-image-inpaint-v1:0";
export const ERASE_MODEL_ID = "stability.stable-image-erase-object-v1:0";
export const OUTPAINT_MODEL_ID = "stability.stable-outpaint-v1:0";
export const SEARCH_REPLACE_MODEL_ID = "stability.stable-image-search-replace-v1:0";
export const SEARCH_RECOLOR_MODEL_ID = "stability.stable-image-search-recolor-v1:0";
export const REMOVE_BACKGROUND_MODEL_ID = "stability.stable-image-remove-background-v1:0";

const base64 = z
  .string()
  .min(1, "must not be empty")
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64-encoded image bytes");
const seed = z.number().int().min(0).max(STABILITY_LIMITS.maxSeed).optional();
const outputFormat = z.enum(["png", "jpeg", "webp"]).optional();

export const InpaintBodySchema = z.strictObject({
  prompt: z.string().min(1).max(STABILITY_LIMITS.maxPromptLength),
  image: base64,
  mask: base64,
  negative_prompt: z.string().max(STABILITY_LIMITS.maxPromptLength).optional(),
  seed,
  output_format: outputFormat,
  style_preset: z.string().optional(),
  grow_mask: z.number().int().min(0).max(20).optional(),
});

export const EraseBodySchema = z.strictObject({
  image: base64,
  mask: base64,
  seed,
  output_format: outputFormat,
  grow_mask: z.number().int().min(0).max(20).optional(),
});

const margin = z.number().int().min(0).max(STABILITY_LIMITS.maxOutpaintMargin).optional();

export const OutpaintBodySchema = z
  .strictObject({
    image: base64,
    left: margin,
    right: margin,
    up: margin,
    down: margin,
    prompt: z.string().max(STABILITY_LIMITS.maxPromptLength).optional(),
    creativity: z.number().min(0).max(1).optional(),
    seed,
    output_format: outputFormat,
    style_preset: z.string().optional(),
  })
  .refine((b) => (b.left ?? 0) + (b.right ?? 0) + (b.up ?? 0) + (b.down ?? 0) > 0, {
    message: "at least one of left, right, up, down must be greater than 0",
  });

export const SearchReplaceBodySchema = z.strictObject({
  image: base64,
  prompt: z.string().min(1).max(STABILITY_LIMITS.maxPromptLength),
  search_prompt: z.string().min(1).max(STABILITY_LIMITS.maxPromptLength),
  negative_prompt: z.string().max(STABILITY_LIMITS.maxPromptLength).optional(),
  seed,
  output_format: outputFormat,
  style_preset: z.string().optional(),
  grow_mask: z.number().int().min(0).max(20).optional(),
});

export const SearchRecolorBodySchema = z.strictObject({
  image: base64,
  prompt: z.string().min(1).max(STABILITY_LIMITS.maxPromptLength),
  select_prompt: z.string().min(1).max(STABILITY_LIMITS.maxPromptLength),
  negative_prompt: z.string().max(STABILITY_LIMITS.maxPromptLength).optional(),
  seed,
  output_format: outputFormat,
  style_preset: z.string().optional(),
  grow_mask: z.number().int().min(0).max(20).optional(),
});

/** Remove Background answers with alpha, so only png and webp are documented outputs. */
export const RemoveBackgroundBodySchema = z.strictObject({
  image: base64,
  output_format: z.enum(["png", "webp"]).optional(),
});

export type InpaintBody = z.infer<typeof InpaintBodySchema>;
export type EraseBody = z.infer<typeof EraseBodySchema>;

/** The emulated models, by id. */
export const STABILITY_MODELS = {
  [INPAINT_MODEL_ID]: { operation: "inpaint", schema: InpaintBodySchema },
  [ERASE_MODEL_ID]: { operation: "erase", schema: EraseBodySchema },
  [OUTPAINT_MODEL_ID]: { operation: "outpaint", schema: OutpaintBodySchema },
  [SEARCH_REPLACE_MODEL_ID]: { operation: "replace", schema: SearchReplaceBodySchema },
  [SEARCH_RECOLOR_MODEL_ID]: { operation: "recolor", schema: SearchRecolorBodySchema },
  [REMOVE_BACKGROUND_MODEL_ID]: { operation: "remove-background", schema: RemoveBackgroundBodySchema },
} as const;

export type StabilityModelId = keyof typeof STABILITY_MODELS;

export function isStabilityModelId(id: string): id is StabilityModelId {
  return Object.hasOwn(STABILITY_MODELS, id);
}
