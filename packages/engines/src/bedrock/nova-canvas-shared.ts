import { EngineRefusedError, type BinaryMask, type EditOptions } from "@retouch/core";
import { encodePng } from "@retouch/imaging";
import type { ModelLimits, ProfileOutput } from "./model-profile";
import { NOVA_CANVAS_SIZE_RULES } from "./nova-canvas-size";
import { toBase64 } from "./stability-shared";

/** Amazon Nova Canvas on Bedrock; every task type is served by this one model. */
export const NOVA_CANVAS_MODEL_ID = "amazon.nova-canvas-v1:0";

/**
 * Limits of Amazon Nova Canvas, from "Request and response structure for image generation",
 * https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html
 * — `text` and `negativeText` 1 to 1024 characters, `seed` 0 to 2,147,483,646 — and "Supported
 * image resolutions" (see `NOVA_CANVAS_SIZE_RULES`).
 */
export const NOVA_CANVAS_LIMITS: ModelLimits = {
  minSide: NOVA_CANVAS_SIZE_RULES.minSide,
  maxPixels: NOVA_CANVAS_SIZE_RULES.maxPixels,
  maxPromptLength: 1024,
  maxSeed: 2_147_483_646,
};

/**
 * `imageGenerationConfig` ranges (same page): `numberOfImages` 1–5, `quality` "standard" or
 * "premium", `cfgScale` 1.1–10.
 */
export const NOVA_CANVAS_GENERATION = {
  maxImages: 5,
  qualities: ["standard", "premium"],
  minCfgScale: 1.1,
  maxCfgScale: 10,
} as const;

/**
 * The shared `imageGenerationConfig`: how many images, the seed, and the optional
 * `options.quality` and `options.cfgScale` (refused when out of the documented range).
 *
 * @example
 * ```ts
 * novaGenerationConfig({ count: 2, seed: 7, options: { quality: "premium" } });
 * // { numberOfImages: 2, seed: 7, quality: "premium" }
 * ```
 */
export function novaGenerationConfig(input: {
  count: number;
  seed: number;
  options: EditOptions;
}): Record<string, unknown> {
  const { quality, cfgScale } = input.options;
  const config: Record<string, unknown> = { numberOfImages: input.count, seed: input.seed };
  if (quality !== undefined && quality !== null) {
    if (!NOVA_CANVAS_GENERATION.qualities.some((q) => q === quality)) {
      throw new EngineRefusedError('options.quality must be "standard" or "premium"');
    }
    config["quality"] = quality;
  }
  if (cfgScale !== undefined && cfgScale !== null) {
    const { minCfgScale, maxCfgScale } = NOVA_CANVAS_GENERATION;
    if (typeof cfgScale !== "number" || cfgScale < minCfgScale || cfgScale > maxCfgScale) {
      throw new EngineRefusedError(`options.cfgScale must be a number from ${minCfgScale} to ${maxCfgScale}`);
    }
    config["cfgScale"] = cfgScale;
  }
  return config;
}

/** `text` and `negativeText` when given; Nova refuses empty strings, so blanks are left out. */
export function novaTexts(prompt: string | null, negativePrompt: string | null): Record<string, string> {
  return {
    ...(prompt?.trim() ? { text: prompt } : {}),
    ...(negativePrompt?.trim() ? { negativeText: negativePrompt } : {}),
  };
}

/**
 * Our mask (255 = change) as the opaque black-and-white PNG Nova Canvas wants: it accepts only
 * pure black and pure white pixels, and paints the black ones for INPAINTING but the white ones
 * for OUTPAINTING ("Masking images",
 * https://docs.aws.amazon.com/nova/latest/userguide/image-gen-access.html#image-gen-masking).
 *
 * @example
 * ```ts
 * const maskImage = await novaMaskBase64(mask, "black"); // for inPaintingParams
 * ```
 */
export async function novaMaskBase64(mask: BinaryMask, editColour: "black" | "white"): Promise<string> {
  const edit = editColour === "black" ? 0 : 255;
  const data = new Uint8Array(mask.width * mask.height * 4);
  for (let i = 0; i < mask.data.length; i++) {
    const value = mask.data[i] ? edit : 255 - edit;
    data[i * 4] = value;
    data[i * 4 + 1] = value;
    data[i * 4 + 2] = value;
    data[i * 4 + 3] = 255;
  }
  return toBase64(await encodePng({ width: mask.width, height: mask.height, data }));
}

/**
 * Reads `{"images": [base64], "error": string?}`. A non-empty `error`, or no images at all, means
 * the output content filter withheld the result.
 */
export function parseNovaCanvasResponse(body: unknown): ProfileOutput {
  if (typeof body !== "object" || body === null) throw new Error("the response is not a JSON object");
  const { images, error } = body as { images?: unknown; error?: unknown };
  if (typeof error === "string" && error.trim()) return { kind: "filtered", reason: error };
  if (images === undefined || (Array.isArray(images) && images.length === 0)) {
    return { kind: "filtered", reason: "no image was returned" };
  }
  if (!Array.isArray(images) || !images.every((i) => typeof i === "string")) {
    throw new Error("the response's images are not base64 strings");
  }
  return { kind: "images", images: images.map((i: string) => new Uint8Array(Buffer.from(i, "base64"))) };
}
