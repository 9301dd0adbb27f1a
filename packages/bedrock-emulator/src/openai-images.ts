import sharp from "sharp";
import { z } from "zod";
import type { BinaryMask, RasterImage } from "@retouch/core";
import { createFastMarchingEngine } from "@retouch/engines";
import type { FaultState } from "./faults";
import type { EmulatorResponse } from "./invoke";
import { syntheticGradient } from "./synthetic-image";

/** The limits of DALL·E 2's image endpoints, which the emulator enforces. */
export const OPENAI_IMAGE_LIMITS = {
  sizes: ["256x256", "512x512", "1024x1024"],
  maxPromptLength: 1000,
  maxResults: 10,
  maxImageBytes: 4 * 1024 * 1024,
} as const;

/** One request to `/v1/images/*`, whichever HTTP version carried it. */
export interface OpenAiImagesRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Null when the body was over the emulator's limit. */
  body: Buffer | null;
}

/** An OpenAI-style error: `{"error": {"message", "type", "param", "code"}}` with the real status. */
export function openAiError(
  status: number,
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
): EmulatorResponse {
  return {
    status,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ error: { message, type, param, code } }),
  };
}

const SizeSchema = z.enum(OPENAI_IMAGE_LIMITS.sizes);
const PromptSchema = z
  .string()
  .min(1, "prompt is required")
  .max(
    OPENAI_IMAGE_LIMITS.maxPromptLength,
    `prompt must be at most ${OPENAI_IMAGE_LIMITS.maxPromptLength} characters`,
  );
const CountSchema = z.coerce.number().int().min(1).max(OPENAI_IMAGE_LIMITS.maxResults).default(1);
const FileSchema = z.custom<Blob>((value) => value instanceof Blob, "must be a file");

/** The multipart fields of `POST /v1/images/edits`. */
export const ImageEditFormSchema = z.object({
  image: FileSchema,
  mask: FileSchema.optional(),
  prompt: PromptSchema,
  n: CountSchema,
  size: SizeSchema.default("1024x1024"),
  model: z.string().min(1).optional(),
  response_format: z.enum(["url", "b64_json"]).optional(),
  user: z.string().optional(),
});

/** The JSON body of `POST /v1/images/generations`. */
export const ImageGenerationBodySchema = z.object({
  prompt: PromptSchema,
  n: CountSchema,
  size: SizeSchema.default("1024x1024"),
  model: z.string().min(1).optional(),
  response_format: z.enum(["url", "b64_json"]).optional(),
  user: z.string().optional(),
});

class InvalidRequest extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

const localFill = createFastMarchingEngine();

/**
 * Answers `POST /v1/images/edits` and `POST /v1/images/generations` like an OpenAI-compatible
 * server with DALL·E 2's rules: a Bearer key is required (and must equal `apiKey` when one is
 * set); edits need a square PNG image under 4 MB and a mask PNG of its size with transparent
 * pixels, which the local fill engine fills (the prompt is not followed); generations answer a
 * deterministic synthetic gradient marked by the `x-emulator-synthetic` header. Only
 * `response_format: "b64_json"` is served (there is nowhere to host URLs). The emulator's faults
 * apply: throttle → 429, unavailable → 503, deny access → 403, refuse input → 400
 * `content_policy_violation`, refuse output → 400 `moderation_blocked`, malformed → broken JSON.
 *
 * @example
 * ```ts
 * const reply = await answerOpenAiImages({ method: "POST", path: "/v1/images/edits", headers, body }, faults);
 * ```
 */
export async function answerOpenAiImages(
  request: OpenAiImagesRequest,
  faults: FaultState,
  apiKey?: string,
): Promise<EmulatorResponse> {
  try {
    return await answer(request, faults, apiKey);
  } catch (error) {
    if (error instanceof InvalidRequest) {
      return openAiError(400, error.message, "invalid_request_error", null, error.param);
    }
    return openAiError(500, "The emulator failed to process the request.", "server_error");
  }
}

async function answer(
  request: OpenAiImagesRequest,
  faults: FaultState,
  apiKey: string | undefined,
): Promise<EmulatorResponse> {
  if (faults.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
  const authorization = headerOf(request.headers, "authorization");
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!bearer) {
    return openAiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      "invalid_request_error",
    );
  }
  if (apiKey !== undefined && bearer[1] !== apiKey) {
    return openAiError(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
  }
  const operation =
    request.path === "/v1/images/edits"
      ? "edits"
      : request.path === "/v1/images/generations"
        ? "generations"
        : null;
  if (!operation) {
    return openAiError(404, `Invalid URL (${request.method} ${request.path})`, "invalid_request_error");
  }
  if (request.method !== "POST") {
    return openAiError(405, `Method ${request.method} is not allowed here`, "invalid_request_error");
  }
  if (!request.body) {
    return openAiError(413, "The request body is too large.", "invalid_request_error");
  }
  if (faults.take("denyAccess")) {
    return openAiError(
      403,
      "You are not allowed to use this model.",
      "invalid_request_error",
      "model_not_found",
    );
  }
  if (faults.take("throttle")) {
    return openAiError(
      429,
      "Rate limit reached for images per minute. Please try again later.",
      "requests",
      "rate_limit_exceeded",
    );
  }
  if (faults.take("unavailable")) {
    return openAiError(503, "The server is overloaded or not ready yet.", "server_error");
  }
  const parsed =
    operation === "edits"
      ? await parseEdit(request.headers, request.body)
      : await parseGeneration(request.body);
  if (faults.take("refuseInput")) {
    return openAiError(
      400,
      "Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.",
      "invalid_request_error",
      "content_policy_violation",
    );
  }
  if (faults.take("refuseOutput")) {
    return openAiError(
      400,
      "Your request was rejected by the safety system: the generated image was flagged.",
      "invalid_request_error",
      "moderation_blocked",
    );
  }
  if (faults.take("malformed")) {
    return { status: 200, headers: { "content-type": "application/json" }, body: '{"data": [' };
  }
  const [width, height] = parsed.size.split("x").map(Number) as [number, number];
  const headers: Record<string, string> = {};
  const images: Buffer[] = [];
  for (let i = 0; i < parsed.n; i++) {
    if (parsed.kind === "edits") {
      const filled = await fill(parsed.image, parsed.mask, parsed.prompt, i + 1);
      images.push(await encodePng(filled, width, height));
    } else {
      // SYNTHETIC: the emulator paints no pictures; a gradient hashed from the prompt and index.
      images.push(await encodePng(syntheticGradient(width, height, `${parsed.prompt}#${i}`), width, height));
      headers["x-emulator-synthetic"] =
        "generations: deterministic gradient labelled SYNTHETIC, not a real image";
    }
  }
  return {
    status: 200,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({
      created: Math.floor(Date.now() / 1000),
      data: images.map((png) => ({ b64_json: png.toString("base64") })),
    }),
  };
}

type ParsedRequest =
  | { kind: "edits"; image: RasterImage; mask: BinaryMask; prompt: string; n: number; size: string }
  | { kind: "generations"; prompt: string; n: number; size: string };

async function parseEdit(headers: OpenAiImagesRequest["headers"], body: Buffer): Promise<ParsedRequest> {
  const contentType = headerOf(headers, "content-type") ?? "";
  if (!/^multipart\/form-data/i.test(contentType)) {
    throw new InvalidRequest("The request must be multipart/form-data.");
  }
  let form: FormData;
  try {
    form = await new Request("http://emulator/v1/images/edits", {
      method: "POST",
      headers: { "content-type": contentType },
      body: new Uint8Array(body),
    }).formData();
  } catch {
    throw new InvalidRequest("The multipart body could not be parsed.");
  }
  const fields = Object.fromEntries(form.entries());
  const parsed = ImageEditFormSchema.safeParse(fields);
  if (!parsed.success) throw invalid(parsed.error);
  const { image: imageFile, mask: maskFile, prompt, n, size, model } = parsed.data;
  checkResponseFormat(parsed.data.response_format, model);
  const image = await decodePng(imageFile, "image");
  if (image.width !== image.height) {
    throw new InvalidRequest(
      `Invalid input image - image must be square, got ${image.width}x${image.height}.`,
      "image",
    );
  }
  const alphaSource = maskFile ? await decodePng(maskFile, "mask") : image;
  if (alphaSource.width !== image.width || alphaSource.height !== image.height) {
    throw new InvalidRequest(
      `Invalid mask - the mask (${alphaSource.width}x${alphaSource.height}) must be the size of the image (${image.width}x${image.height}).`,
      "mask",
    );
  }
  // Fully transparent pixels are the ones to edit.
  const data = new Uint8Array(image.width * image.height);
  let editable = 0;
  for (let i = 0; i < data.length; i++) {
    if (alphaSource.data[i * 4 + 3] === 0) {
      data[i] = 255;
      editable++;
    }
  }
  if (editable === 0) {
    throw new InvalidRequest(
      "Invalid mask - the mask has no transparent (alpha 0) pixels, so there is nothing to edit.",
      maskFile ? "mask" : "image",
    );
  }
  return { kind: "edits", image, mask: { width: image.width, height: image.height, data }, prompt, n, size };
}

async function parseGeneration(body: Buffer): Promise<ParsedRequest> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    throw new InvalidRequest("We could not parse the JSON body of your request.");
  }
  const parsed = ImageGenerationBodySchema.safeParse(json);
  if (!parsed.success) throw invalid(parsed.error);
  checkResponseFormat(parsed.data.response_format, parsed.data.model);
  const { prompt, n, size } = parsed.data;
  return { kind: "generations", prompt, n, size };
}

function invalid(error: z.ZodError): InvalidRequest {
  const issue = error.issues[0]!;
  const param = issue.path.join(".") || null;
  return new InvalidRequest(
    error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
    param,
  );
}

/** DALL·E defaults to URLs, which the emulator cannot host; gpt-image models always answer base64. */
function checkResponseFormat(format: "url" | "b64_json" | undefined, model: string | undefined): void {
  const effective = format ?? (model?.startsWith("gpt-image") ? "b64_json" : "url");
  if (effective !== "b64_json") {
    throw new InvalidRequest("The emulator answers only response_format b64_json.", "response_format");
  }
}

function headerOf(headers: OpenAiImagesRequest["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function decodePng(file: Blob, param: string): Promise<RasterImage> {
  if (file.size > OPENAI_IMAGE_LIMITS.maxImageBytes) {
    throw new InvalidRequest(`Invalid input ${param} - the file must be less than 4 MB.`, param);
  }
  const bytes = Buffer.from(await file.arrayBuffer());
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new InvalidRequest(`Invalid input ${param} - the file must be a PNG.`, param);
  }
  try {
    const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8Array(data) };
  } catch {
    throw new InvalidRequest(`Invalid input ${param} - the PNG could not be decoded.`, param);
  }
}

async function fill(
  image: RasterImage,
  mask: BinaryMask,
  prompt: string,
  seed: number,
): Promise<RasterImage> {
  const [filled] = await localFill.run(
    { operation: "inpaint", image, mask, prompt, negativePrompt: null, count: 1, seed, options: {} },
    { signal: AbortSignal.timeout(120_000), onProgress: () => {} },
  );
  return filled!;
}

/** PNG of `image` at `width`×`height` (the requested size; edits are filled at the image's size). */
async function encodePng(image: RasterImage, width: number, height: number): Promise<Buffer> {
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
  if (image.width !== width || image.height !== height)
    pipeline = pipeline.resize(width, height, { fit: "fill" });
  return pipeline.png().toBuffer();
}
