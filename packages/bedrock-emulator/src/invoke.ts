import type { z } from "zod";
import sharp from "sharp";
import type { BinaryMask, RasterImage } from "@retouch/core";
import { createFastMarchingEngine } from "@retouch/engines";
import type { BackgroundRemover } from "./background-removal";
import type { FaultState } from "./faults";
import { invokeNovaCanvas, isNovaCanvasModelId } from "./nova-canvas-model";
import { STABILITY_LIMITS, STABILITY_MODELS, isStabilityModelId } from "./stability-models";
import { syntheticTint } from "./synthetic-image";

/** An HTTP answer, independent of HTTP/1.1 or HTTP/2. */
export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A Bedrock-style error: JSON `{"message"}` with the real status and `x-amzn-ErrorType`. */
export function bedrockError(status: number, type: string, message: string): EmulatorResponse {
  return {
    status,
    headers: {
      "content-type": "application/json",
      "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    },
    body: JSON.stringify({ message }),
  };
}

/**
 * The body as JSON, validated by the model's `schema`, or the `ValidationException` Bedrock
 * answers for a body that is not JSON or breaks the model's documented rules.
 *
 * @example
 * ```ts
 * const parsed = parseModelBody(rawBody, NovaCanvasBodySchema);
 * if ("error" in parsed) return parsed.error;
 * ```
 */
export function parseModelBody<S extends z.ZodType>(
  rawBody: Buffer,
  schema: S,
): { data: z.output<S> } | { error: EmulatorResponse } {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return {
      error: bedrockError(400, "ValidationException", "Malformed input request: the body is not valid JSON."),
    };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { data: parsed.data };
  const reasons = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
  return {
    error: bedrockError(
      400,
      "ValidationException",
      `Malformed input request: ${reasons}, please reformat your input and try again.`,
    ),
  };
}

class InvalidInput extends Error {}

const localFill = createFastMarchingEngine();

/**
 * Answers one `POST /model/{modelId}/invoke`: validates the body like Bedrock does, applies the
 * pending faults, and fills the white part of the mask (or the outpaint margins) with the local
 * fill engine; remove-background goes to `backgroundRemover` (the real local-bg engine, or a
 * synthetic ellipse); search-replace/recolor and a synthetic background removal answer
 * deterministic images marked by the `x-emulator-synthetic` response header. Amazon Nova Canvas ids get the
 * same access, throttling and availability faults, then `invokeNovaCanvas` answers them.
 * Known gap: the local fill engine works on at most 4 MP, so images between 4 MP and the
 * documented 9.4 MP answer 400 here although Bedrock would accept them.
 */
export async function invokeModel(
  requestedModelId: string,
  rawBody: Buffer,
  faults: FaultState,
  backgroundRemover: BackgroundRemover,
): Promise<EmulatorResponse> {
  // A cross-region inference profile (us.…, eu.…, apac.…, global.…) invokes the model it names.
  const modelId = requestedModelId.replace(/^(us|eu|apac|us-gov|global)\.(?=(stability|amazon)\.)/, "");
  if (faults.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
  if (!isStabilityModelId(modelId) && !isNovaCanvasModelId(modelId)) {
    return bedrockError(
      404,
      "ResourceNotFoundException",
      `The model ${requestedModelId} does not exist or is not supported.`,
    );
  }
  if (faults.take("denyAccess")) {
    return bedrockError(
      403,
      "AccessDeniedException",
      "You don't have access to the model with the specified model ID.",
    );
  }
  if (faults.take("throttle")) {
    return bedrockError(429, "ThrottlingException", "Too many requests, please wait before trying again.");
  }
  if (faults.take("unavailable")) {
    return bedrockError(
      503,
      "ServiceUnavailableException",
      "The service is temporarily unable to handle the request.",
    );
  }
  if (faults.take("modelNotReady")) {
    return bedrockError(
      429,
      "ModelNotReadyException",
      "The model is not ready to serve inference requests yet. Try again later.",
    );
  }
  if (faults.take("modelTimeout")) {
    return bedrockError(
      408,
      "ModelTimeoutException",
      "Model has timed out in processing the request. Try your request again.",
    );
  }
  if (!isStabilityModelId(modelId)) return invokeNovaCanvas(rawBody, faults, backgroundRemover);
  const parsed = parseModelBody(rawBody, STABILITY_MODELS[modelId].schema);
  if ("error" in parsed) return parsed.error;
  if (faults.take("refuseInput")) {
    return bedrockError(
      400,
      "ValidationException",
      "Your request was blocked by our content filters. Please adjust your prompt or image and try again.",
    );
  }
  const body = parsed.data;
  const text = body as { prompt?: string; negative_prompt?: string };
  const prompt = text.prompt ?? null;
  const negativePrompt = text.negative_prompt ?? null;
  const requested = (body as { seed?: number }).seed;
  const seed =
    requested && requested > 0 ? requested : Math.floor(Math.random() * STABILITY_LIMITS.maxSeed) + 1;
  if (faults.take("refuseOutput")) {
    return ok({ images: [], seeds: [seed], finish_reasons: ["Filter reason: output image"] });
  }
  if (faults.take("inferenceError")) {
    return ok({ images: [], seeds: [seed], finish_reasons: ["Inference error"] });
  }
  if (faults.take("malformed")) {
    return { status: 200, headers: { "content-type": "application/json" }, body: '{"images": [' };
  }
  try {
    const operation = STABILITY_MODELS[modelId].operation;
    const image = await decodeImage(body.image);
    const headers: Record<string, string> = {};
    let filled: RasterImage;
    if (operation === "inpaint" || operation === "erase") {
      const mask = await decodeMask((body as { mask: string }).mask, image);
      filled = await fill(operation, image, mask, prompt, negativePrompt, seed);
    } else if (operation === "outpaint") {
      const m = body as { left?: number; right?: number; up?: number; down?: number };
      const { padded, mask } = padForOutpaint(image, m.left ?? 0, m.right ?? 0, m.up ?? 0, m.down ?? 0);
      if (padded.width * padded.height > STABILITY_LIMITS.maxPixels) {
        throw new InvalidInput(
          `image: the outpainted image would exceed ${STABILITY_LIMITS.maxPixels} pixels.`,
        );
      }
      filled = await fill("outpaint", padded, mask, prompt, negativePrompt, seed);
    } else if (operation === "replace" || operation === "recolor") {
      // SYNTHETIC: the emulator cannot search for objects; it returns the image with a
      // deterministic tint derived from the prompts so tests can tell that something happened.
      filled = syntheticTint(image, `${operation}:${prompt}`);
      headers["x-emulator-synthetic"] =
        `${operation}: deterministic tint labelled SYNTHETIC, not a real edit`;
    } else {
      filled = await backgroundRemover.cutOut(image);
      if (backgroundRemover.synthetic) {
        headers["x-emulator-synthetic"] = "remove-background: centred ellipse alpha, not a real matte";
      }
    }
    const encoded = await encode(filled, body.output_format ?? "png");
    const answer = ok({ images: [encoded.toString("base64")], seeds: [seed], finish_reasons: [null] });
    return { ...answer, headers: { ...answer.headers, ...headers } };
  } catch (error) {
    if (error instanceof InvalidInput) return bedrockError(400, "ValidationException", error.message);
    if (error instanceof Error && error.name === "EngineRefusedError") {
      return bedrockError(400, "ValidationException", error.message);
    }
    return bedrockError(500, "InternalServerException", "The emulator failed to process the request.");
  }
}

async function fill(
  operation: "inpaint" | "erase" | "outpaint",
  image: RasterImage,
  mask: BinaryMask,
  prompt: string | null,
  negativePrompt: string | null,
  seed: number,
): Promise<RasterImage> {
  const [filled] = await localFill.run(
    { operation, image, mask, prompt, negativePrompt, count: 1, seed, options: {} },
    { signal: AbortSignal.timeout(120_000), onProgress: () => {} },
  );
  return filled!;
}

/** The image centred in a transparent canvas grown by the margins, and a mask of the margins. */
function padForOutpaint(image: RasterImage, left: number, right: number, up: number, down: number) {
  const width = image.width + left + right;
  const height = image.height + up + down;
  const data = new Uint8Array(width * height * 4);
  const maskData = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < image.height; y++) {
    const to = (y + up) * width + left;
    data.set(image.data.subarray(y * image.width * 4, (y + 1) * image.width * 4), to * 4);
    maskData.fill(0, to, to + image.width);
  }
  return { padded: { width, height, data }, mask: { width, height, data: maskData } };
}

function ok(payload: unknown): EmulatorResponse {
  return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(payload) };
}

async function decodeImage(base64: string): Promise<RasterImage> {
  const bytes = Buffer.from(base64, "base64");
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch {
    throw new InvalidInput("image: the bytes are not a supported image (png, jpeg or webp).");
  }
  const { width = 0, height = 0 } = meta;
  if (Math.min(width, height) < STABILITY_LIMITS.minSide) {
    throw new InvalidInput(
      `image: every side must be at least ${STABILITY_LIMITS.minSide} pixels, got ${width}x${height}.`,
    );
  }
  if (width * height > STABILITY_LIMITS.maxPixels) {
    throw new InvalidInput(
      `image: at most ${STABILITY_LIMITS.maxPixels} pixels are allowed, got ${width}x${height}.`,
    );
  }
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** White (> 127 grey) marks the area to fill; the mask must match the image size. */
async function decodeMask(base64: string, image: RasterImage): Promise<BinaryMask> {
  let raw: { data: Buffer; info: sharp.OutputInfo };
  try {
    raw = await sharp(Buffer.from(base64, "base64"))
      .flatten({ background: "#000000" })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw new InvalidInput("mask: the bytes are not a supported image (png, jpeg or webp).");
  }
  if (raw.info.width !== image.width || raw.info.height !== image.height) {
    throw new InvalidInput(
      `mask: must be the size of the image (${image.width}x${image.height}), got ${raw.info.width}x${raw.info.height}.`,
    );
  }
  const data = new Uint8Array(image.width * image.height);
  for (let i = 0; i < data.length; i++) data[i] = raw.data[i * raw.info.channels]! > 127 ? 255 : 0;
  return { width: image.width, height: image.height, data };
}

async function encode(image: RasterImage, format: "png" | "jpeg" | "webp"): Promise<Buffer> {
  const pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
  if (format === "jpeg") return pipeline.jpeg({ quality: 95 }).toBuffer();
  if (format === "webp") return pipeline.webp({ lossless: true }).toBuffer();
  return pipeline.png().toBuffer();
}
