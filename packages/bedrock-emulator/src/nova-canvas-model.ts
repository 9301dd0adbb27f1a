import sharp from "sharp";
import { z } from "zod";
import type { BinaryMask, RasterImage } from "@retouch/core";
import { createFastMarchingEngine } from "@retouch/engines";
import type { BackgroundRemover } from "./background-removal";
import type { FaultState } from "./faults";
import { bedrockError, parseModelBody, type EmulatorResponse } from "./invoke";
import { syntheticGradient, syntheticTint } from "./synthetic-image";

/**
 * Amazon Nova Canvas's request bodies and limits, as documented in the Amazon Nova user guide:
 * "Request and response structure for image generation",
 * https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html, and "Image
 * generation and editing" (input images, masking images, supported image resolutions),
 * https://docs.aws.amazon.com/nova/latest/userguide/image-gen-access.html.
 */
export const NOVA_CANVAS_LIMITS = {
  /** `text`, `negativeText` and `maskPrompt` are 1 to 1024 characters. */
  maxTextLength: 1024,
  /** `imageGenerationConfig.numberOfImages` is 1 to 5. */
  maxImages: 5,
  /** `imageGenerationConfig.cfgScale` is 1.1 to 10. */
  minCfgScale: 1.1,
  maxCfgScale: 10,
  /** `imageGenerationConfig.seed` is 0 to 2,147,483,646. */
  maxSeed: 2_147_483_646,
  /** Each side is 320 to 4096 px and a multiple of 16. */
  minSide: 320,
  maxSide: 4096,
  sideStep: 16,
  /** At most 4,194,304 pixels (e.g. 2048×2048). */
  maxPixels: 4_194_304,
  /** The aspect ratio is between 1:4 and 4:1. */
  maxAspect: 4,
  /** `imageVariationParams.similarityStrength` is 0.2 to 1.0; 1 to 5 reference images. */
  minSimilarity: 0.2,
  maxSimilarity: 1,
} as const;

export const NOVA_CANVAS_MODEL_ID = "amazon.nova-canvas-v1:0";
/** The US cross-region inference profile id, accepted like the base id. */
export const NOVA_CANVAS_US_PROFILE_ID = "us.amazon.nova-canvas-v1:0";

export function isNovaCanvasModelId(id: string): boolean {
  return id === NOVA_CANVAS_MODEL_ID || id === NOVA_CANVAS_US_PROFILE_ID;
}

const L = NOVA_CANVAS_LIMITS;
const base64 = z
  .string()
  .min(1, "must not be empty")
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64-encoded image bytes");
const text = z.string().min(1).max(L.maxTextLength);
const side = z
  .number()
  .int()
  .min(L.minSide)
  .max(L.maxSide)
  .refine((n) => n % L.sideStep === 0, `must be a multiple of ${L.sideStep}`);

/** The reason a width×height breaks the documented resolution rules, or null when it fits. */
export function novaSizeProblem(width: number, height: number): string | null {
  if ([width, height].some((s) => s < L.minSide || s > L.maxSide || s % L.sideStep !== 0)) {
    return `each side must be ${L.minSide} to ${L.maxSide} pixels and a multiple of ${L.sideStep}, got ${width}x${height}`;
  }
  if (width * height > L.maxPixels)
    return `at most ${L.maxPixels} pixels are allowed, got ${width}x${height}`;
  if (width > L.maxAspect * height || height > L.maxAspect * width) {
    return `the aspect ratio must be between 1:${L.maxAspect} and ${L.maxAspect}:1, got ${width}x${height}`;
  }
  return null;
}

const ImageGenerationConfigSchema = z
  .strictObject({
    numberOfImages: z.number().int().min(1).max(L.maxImages).optional(),
    quality: z.enum(["standard", "premium"]).optional(),
    cfgScale: z.number().min(L.minCfgScale).max(L.maxCfgScale).optional(),
    seed: z.number().int().min(0).max(L.maxSeed).optional(),
    width: side.optional(),
    height: side.optional(),
  })
  .refine((c) => (c.width === undefined) === (c.height === undefined), {
    message: "width and height go together",
  })
  .refine((c) => c.width === undefined || c.height === undefined || !novaSizeProblem(c.width, c.height), {
    message: `width and height must fit the supported resolutions (at most ${L.maxPixels} pixels, aspect 1:4 to 4:1)`,
  });

/** Exactly one of `maskImage` and `maskPrompt`. */
const oneMask = (p: { maskImage?: string | undefined; maskPrompt?: string | undefined }) =>
  (p.maskImage === undefined) !== (p.maskPrompt === undefined);
const oneMaskMessage = { message: "exactly one of maskImage and maskPrompt is required" };

export const NovaTextImageBodySchema = z.strictObject({
  taskType: z.literal("TEXT_IMAGE"),
  textToImageParams: z.strictObject({ text, negativeText: text.optional(), style: z.string().optional() }),
  imageGenerationConfig: ImageGenerationConfigSchema.optional(),
});

export const NovaInpaintingBodySchema = z.strictObject({
  taskType: z.literal("INPAINTING"),
  inPaintingParams: z
    .strictObject({
      image: base64,
      maskImage: base64.optional(),
      maskPrompt: text.optional(),
      text: text.optional(),
      negativeText: text.optional(),
    })
    .refine(oneMask, oneMaskMessage),
  imageGenerationConfig: ImageGenerationConfigSchema.optional(),
});

export const NovaOutpaintingBodySchema = z.strictObject({
  taskType: z.literal("OUTPAINTING"),
  outPaintingParams: z
    .strictObject({
      image: base64,
      maskImage: base64.optional(),
      maskPrompt: text.optional(),
      text,
      negativeText: text.optional(),
      outPaintingMode: z.enum(["DEFAULT", "PRECISE"]).optional(),
    })
    .refine(oneMask, oneMaskMessage),
  imageGenerationConfig: ImageGenerationConfigSchema.optional(),
});

export const NovaImageVariationBodySchema = z.strictObject({
  taskType: z.literal("IMAGE_VARIATION"),
  imageVariationParams: z.strictObject({
    images: z.array(base64).min(1).max(L.maxImages),
    text: text.optional(),
    negativeText: text.optional(),
    similarityStrength: z.number().min(L.minSimilarity).max(L.maxSimilarity).optional(),
  }),
  imageGenerationConfig: ImageGenerationConfigSchema.optional(),
});

/** Background removal takes the image only: an `imageGenerationConfig` is refused. */
export const NovaBackgroundRemovalBodySchema = z.strictObject({
  taskType: z.literal("BACKGROUND_REMOVAL"),
  backgroundRemovalParams: z.strictObject({ image: base64 }),
});

export const NovaCanvasBodySchema = z.discriminatedUnion("taskType", [
  NovaTextImageBodySchema,
  NovaInpaintingBodySchema,
  NovaOutpaintingBodySchema,
  NovaImageVariationBodySchema,
  NovaBackgroundRemovalBodySchema,
]);
export type NovaCanvasBody = z.infer<typeof NovaCanvasBodySchema>;

class InvalidInput extends Error {}

const localFill = createFastMarchingEngine();

/**
 * Answers one Nova Canvas invocation after the access, throttling and availability faults (which
 * `invokeModel` applies to every model): validates the body, applies the content-filter and
 * malformed-answer faults, then fills inpainting (black part of the mask) and outpainting (white
 * part) with the local fill engine and background removal with `backgroundRemover` (the real
 * local-bg engine, or a synthetic ellipse). Variation, text-to-image, mask prompts and a
 * synthetic background removal answer deterministic images, marked by the `x-emulator-synthetic` header.
 * Known gap: the local fill engine works on at most 4 MP, so 4–4.19 MP edits answer 400 here.
 */
export async function invokeNovaCanvas(
  rawBody: Buffer,
  faults: FaultState,
  backgroundRemover: BackgroundRemover,
): Promise<EmulatorResponse> {
  const parsed = parseModelBody(rawBody, NovaCanvasBodySchema);
  if ("error" in parsed) return parsed.error;
  if (faults.take("refuseInput")) {
    return bedrockError(
      400,
      "ValidationException",
      "This request has been blocked by our content filters. Please adjust your text prompt or input image and try again.",
    );
  }
  if (faults.take("refuseOutput")) {
    return ok({
      images: [],
      error:
        "The generated image has been blocked by our content filters. Please adjust your prompt and try again.",
    });
  }
  if (faults.take("malformed")) {
    return { status: 200, headers: { "content-type": "application/json" }, body: '{"images": [' };
  }
  try {
    const { images, synthetic } = await answer(parsed.data, backgroundRemover);
    const encoded = await Promise.all(
      images.map(async (image) => (await encodePng(image)).toString("base64")),
    );
    const reply = ok({ images: encoded });
    return synthetic ? { ...reply, headers: { ...reply.headers, "x-emulator-synthetic": synthetic } } : reply;
  } catch (error) {
    if (error instanceof InvalidInput) return bedrockError(400, "ValidationException", error.message);
    if (error instanceof Error && error.name === "EngineRefusedError") {
      return bedrockError(400, "ValidationException", error.message);
    }
    return bedrockError(500, "InternalServerException", "The emulator failed to process the request.");
  }
}

async function answer(
  body: NovaCanvasBody,
  backgroundRemover: BackgroundRemover,
): Promise<{ images: RasterImage[]; synthetic?: string }> {
  const config = "imageGenerationConfig" in body ? (body.imageGenerationConfig ?? {}) : {};
  const count = config.numberOfImages ?? 1;
  const seed = config.seed ?? 0;
  const times = (make: (i: number) => Promise<RasterImage> | RasterImage) =>
    Promise.all(Array.from({ length: count }, (_, i) => make(i)));
  switch (body.taskType) {
    case "INPAINTING":
    case "OUTPAINTING": {
      const params = body.taskType === "INPAINTING" ? body.inPaintingParams : body.outPaintingParams;
      const image = await decodeInput(params.image, "image");
      // Nova paints the black part of an inpainting mask and the white part of an outpainting one.
      const paint = body.taskType === "INPAINTING" ? 0 : 255;
      const mask = params.maskImage
        ? await decodeMask(params.maskImage, image, paint)
        : promptedMask(image, body.taskType === "INPAINTING");
      if (!mask.data.some((v) => v)) throw new InvalidInput("maskImage: there is no area to paint.");
      const images = await times((i) => fill(image, mask, seed + i));
      return params.maskImage
        ? { images }
        : { images, synthetic: "maskPrompt: a centred ellipse stands for what the prompt names" };
    }
    case "BACKGROUND_REMOVAL": {
      const image = await decodeInput(body.backgroundRemovalParams.image, "image");
      const images = [await backgroundRemover.cutOut(image)];
      return backgroundRemover.synthetic
        ? { images, synthetic: "BACKGROUND_REMOVAL: centred ellipse alpha, not a real matte" }
        : { images };
    }
    case "IMAGE_VARIATION": {
      const reference = await decodeInput(body.imageVariationParams.images[0]!, "images.0");
      const size = { width: config.width ?? reference.width, height: config.height ?? reference.height };
      const scaled = await resize(reference, size);
      const key = `${body.imageVariationParams.text ?? ""}:${seed}`;
      return {
        images: await times((i) => syntheticTint(scaled, `${key}:${i}`)),
        synthetic: "IMAGE_VARIATION: the reference tinted by a hash of text and seed, not a real variation",
      };
    }
    case "TEXT_IMAGE": {
      const size = { width: config.width ?? 1024, height: config.height ?? 1024 };
      return {
        images: await times((i) =>
          syntheticGradient(size.width, size.height, `${body.textToImageParams.text}:${seed + i}`),
        ),
        synthetic: "TEXT_IMAGE: a gradient hashed from text and seed, not a real image",
      };
    }
  }
}

async function fill(image: RasterImage, mask: BinaryMask, seed: number): Promise<RasterImage> {
  const [filled] = await localFill.run(
    { operation: "inpaint", image, mask, prompt: null, negativePrompt: null, count: 1, seed, options: {} },
    { signal: AbortSignal.timeout(120_000), onProgress: () => {} },
  );
  return filled!;
}

/** An input image: readable, of a supported resolution, and without transparent pixels. */
async function decodeInput(base64Image: string, field: string): Promise<RasterImage> {
  const bytes = Buffer.from(base64Image, "base64");
  let raw: { data: Buffer; info: sharp.OutputInfo };
  try {
    raw = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  } catch {
    throw new InvalidInput(`${field}: the bytes are not a supported image (png or jpeg).`);
  }
  const { width, height } = raw.info;
  const problem = novaSizeProblem(width, height);
  if (problem) throw new InvalidInput(`${field}: ${problem}.`);
  for (let i = 3; i < raw.data.length; i += 4) {
    if (raw.data[i] !== 255) {
      throw new InvalidInput(`${field}: the image must not contain transparent or translucent pixels.`);
    }
  }
  return { width, height, data: new Uint8Array(raw.data) };
}

/** A mask of pure black and pure white pixels only, the size of the image; `paint` marks the area. */
async function decodeMask(base64Mask: string, image: RasterImage, paint: 0 | 255): Promise<BinaryMask> {
  let raw: { data: Buffer; info: sharp.OutputInfo };
  try {
    raw = await sharp(Buffer.from(base64Mask, "base64"))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw new InvalidInput("maskImage: the bytes are not a supported image (png or jpeg).");
  }
  const { width, height, channels } = raw.info;
  if (width !== image.width || height !== image.height) {
    throw new InvalidInput(
      `maskImage: must be the size of the image (${image.width}x${image.height}), got ${width}x${height}.`,
    );
  }
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) {
    const first = raw.data[i * channels]!;
    for (let c = 0; c < channels; c++) {
      const value = raw.data[i * channels + c]!;
      if ((value !== 0 && value !== 255) || value !== first) {
        throw new InvalidInput("maskImage: the mask must contain only pure black and pure white pixels.");
      }
    }
    data[i] = first === paint ? 255 : 0;
  }
  return { width, height, data };
}

/**
 * SYNTHETIC (maskPrompt): no segmentation here; a centred ellipse stands for what the prompt
 * names — painted for inpainting, kept for outpainting.
 */
function promptedMask(image: RasterImage, paintInside: boolean): BinaryMask {
  const data = new Uint8Array(image.width * image.height);
  forEachInEllipse(image, (i, inside) => (data[i] = inside === paintInside ? 255 : 0));
  return { width: image.width, height: image.height, data };
}

function forEachInEllipse(
  size: { width: number; height: number },
  visit: (i: number, inside: boolean) => void,
) {
  const cx = size.width / 2;
  const cy = size.height / 2;
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      const dx = (x + 0.5 - cx) / (cx * 0.8);
      const dy = (y + 0.5 - cy) / (cy * 0.8);
      visit(y * size.width + x, dx * dx + dy * dy <= 1);
    }
  }
}

async function resize(image: RasterImage, size: { width: number; height: number }): Promise<RasterImage> {
  if (image.width === size.width && image.height === size.height) return image;
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .resize(size.width, size.height, { fit: "fill" })
    .raw()
    .toBuffer();
  return { ...size, data: new Uint8Array(data) };
}

function encodePng(image: RasterImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .png()
    .toBuffer();
}

function ok(payload: unknown): EmulatorResponse {
  return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(payload) };
}
