import { z } from "zod";
import {
  EngineRefusedError,
  ServiceUnavailableError,
  type EngineCapabilities,
  type EngineContext,
  type EngineRequest,
  type ImageEngine,
  type RasterImage,
} from "@retouch/core";
import { decodeRaster, encodePng } from "@retouch/imaging";
import { DEFAULT_RETRY_POLICY, backoffDelay, sleep, type RetryPolicy } from "../bedrock/retry";
import {
  fromCanvas,
  parseServerSize,
  placeImage,
  sizeName,
  toAlphaMask,
  toCanvas,
  type ServerSize,
} from "./fit-canvas";
import { isContentPolicyRefusal, isRetryableStatus, mapServerError, readServerError } from "./openai-errors";

export interface OpenAiCompatibleEngineOptions {
  /** Server root without `/v1`, e.g. `https://api.openai.com` (a trailing `/v1` is tolerated). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; never logged or put into an error message. */
  apiKey: string;
  /** Sent as `model`; unset lets the server choose (OpenAI: dall-e-2 for edits). */
  model?: string;
  /** Injected for tests that watch the requests; defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** `WIDTHxHEIGHT` sizes the server accepts; default DALL·E 2's 256x256, 512x512 and 1024x1024. */
  sizes?: string[];
  /** Longest prompt the server accepts; default DALL·E 2's 1000 characters. */
  maxPromptLength?: number;
  /** Results per edit (the request's `n`); default 4. */
  maxResults?: number;
  /** Backoff for 429 and 5xx answers; tests pass tiny delays. */
  retry?: Partial<RetryPolicy>;
}

const DEFAULT_SIZES = ["256x256", "512x512", "1024x1024"];
/** DALL·E-style edits need a prompt; erase asks for the background to continue. */
const ERASE_PROMPT =
  "Remove the object in the masked area and fill it with the surrounding background, seamlessly and without adding anything new.";

/** `{"data": [{"b64_json": …}]}`, the answer of `/v1/images/edits` and `/v1/images/generations`. */
const ImagesResponseSchema = z.object({
  data: z.array(z.object({ b64_json: z.string().min(1) })).min(1),
});

/**
 * An engine backed by any server speaking OpenAI's Images API (OpenAI itself, Azure-style
 * proxies, LocalAI, the local emulator): `inpaint` and `erase` post the image and a mask that is
 * transparent where the edit may paint to `/v1/images/edits`; `generate` posts the prompt to
 * `/v1/images/generations`. Images are placed on the smallest accepted size that holds them
 * (edge pixels repeated into the padding, which the mask keeps) and cut back out of the results.
 * 429 and 5xx answers are retried with capped exponential backoff and jitter.
 *
 * @example
 * ```ts
 * const engine = createOpenAiCompatibleEngine({ baseUrl: "https://api.openai.com",
 *   apiKey: process.env.OPENAI_API_KEY!, model: "dall-e-2" });
 * const [out] = await engine.run({ operation: "inpaint", image, mask, prompt: "a red kite", negativePrompt: null,
 *   count: 1, seed: 0, options: {} }, { signal: AbortSignal.timeout(120_000), onProgress: () => {} });
 * ```
 */
export function createOpenAiCompatibleEngine(options: OpenAiCompatibleEngineOptions): ImageEngine {
  const baseUrl = options.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
  if (!options.apiKey) throw new Error("The openai-compatible engine needs an API key");
  const send = options.fetch ?? fetch;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const sizes: ServerSize[] = (options.sizes ?? DEFAULT_SIZES).map(parseServerSize);
  if (sizes.length === 0) throw new Error("The openai-compatible engine needs at least one image size");
  const maxPromptLength = options.maxPromptLength ?? 1000;
  const largest = sizes.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  const capabilities: EngineCapabilities = {
    id: "openai-compatible",
    label: options.model ? `OpenAI-compatible (${options.model})` : "OpenAI-compatible",
    description:
      "Generative edits through an OpenAI-compatible Images API: inpaint paints what the prompt " +
      "describes into the masked area, erase fills it with background, generate paints a new image " +
      `from the prompt. Works at ${sizes.map(sizeName).join(", ")}; larger photos are edited at a reduced size.`,
    operations: ["inpaint", "erase", "generate"],
    usesPrompt: true,
    usesNegativePrompt: false,
    usesSeed: false,
    maxResults: options.maxResults ?? 4,
    maxPixels: Math.max(...sizes.map((s) => s.width * s.height)),
    maxSide: Math.max(...sizes.map((s) => Math.max(s.width, s.height))),
    minSide: 1,
  };
  // gpt-image models always answer base64 and reject the parameter; DALL·E defaults to URLs.
  const responseFormat: { response_format?: string } = options.model?.startsWith("gpt-image")
    ? {}
    : { response_format: "b64_json" };

  async function post(path: string, body: FormData | string, signal: AbortSignal): Promise<string[]> {
    const url = `${baseUrl}${path}`;
    const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}` };
    if (typeof body === "string") headers["content-type"] = "application/json";
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await send(url, { method: "POST", headers, body, signal });
      } catch (error) {
        signal.throwIfAborted();
        if (attempt < policy.maxAttempts) {
          await sleep(backoffDelay(policy, attempt - 1), signal);
          continue;
        }
        const reason =
          error instanceof Error
            ? ((error.cause as Error | undefined)?.message ?? error.message)
            : String(error);
        throw new ServiceUnavailableError(
          `Could not reach the OpenAI-compatible server at ${baseUrl} after ${attempt} attempts: ${reason}`,
        );
      }
      if (!response.ok) {
        const error = await readServerError(response);
        if (isRetryableStatus(error) && !isContentPolicyRefusal(error) && attempt < policy.maxAttempts) {
          await sleep(backoffDelay(policy, attempt - 1), signal);
          continue;
        }
        throw mapServerError(error, baseUrl, attempt);
      }
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error(
          `The OpenAI-compatible server at ${baseUrl} answered ${path} with a body that is not JSON`,
        );
      }
      const parsed = ImagesResponseSchema.safeParse(json);
      if (!parsed.success) {
        throw new Error(
          `The OpenAI-compatible server at ${baseUrl} answered ${path} unexpectedly: ${parsed.error.issues
            .map((i) => `${i.path.join(".") || "body"}: ${i.message}`)
            .join("; ")}`,
        );
      }
      return parsed.data.data.map((item) => item.b64_json);
    }
  }

  async function decodeAll(images: string[], count: number): Promise<RasterImage[]> {
    if (images.length !== count) {
      throw new Error(`The OpenAI-compatible server returned ${images.length} images for ${count} asked for`);
    }
    return Promise.all(
      images.map((b64) =>
        decodeRaster(Buffer.from(b64, "base64")).catch(() => {
          throw new Error("The OpenAI-compatible server returned an image that cannot be decoded");
        }),
      ),
    );
  }

  return {
    capabilities,
    async run(request: EngineRequest, context: EngineContext): Promise<RasterImage[]> {
      const prompt = checkRequest(capabilities, request, maxPromptLength);
      const model = options.model ? { model: options.model } : {};
      if (request.operation === "generate") {
        const wanted = request.options["size"];
        const size =
          typeof wanted === "string" && sizes.some((s) => sizeName(s) === wanted)
            ? wanted
            : sizeName(largest);
        const body = JSON.stringify({ prompt, n: request.count, size, ...model, ...responseFormat });
        const results = await decodeAll(
          await post("/v1/images/generations", body, context.signal),
          request.count,
        );
        context.onProgress(1);
        return results;
      }
      const { image, mask } = request;
      if (!image || !mask)
        throw new EngineRefusedError(`Engine ${capabilities.id} needs an image and a mask`);
      if (mask.width !== image.width || mask.height !== image.height) {
        throw new EngineRefusedError(`Engine ${capabilities.id} needs a mask the size of the image`);
      }
      const placement = placeImage(image.width, image.height, sizes);
      const canvas = await toCanvas(image, placement);
      const form = new FormData();
      form.set("image", pngBlob(await encodePng(canvas)), "image.png");
      form.set("mask", pngBlob(await encodePng(await toAlphaMask(canvas, mask, placement))), "mask.png");
      form.set("prompt", prompt);
      form.set("n", String(request.count));
      form.set("size", sizeName(placement.size));
      if (options.model) form.set("model", options.model);
      if (responseFormat.response_format) form.set("response_format", responseFormat.response_format);
      const results = await decodeAll(await post("/v1/images/edits", form, context.signal), request.count);
      context.onProgress(1);
      return Promise.all(results.map((result) => fromCanvas(result, placement, image.width, image.height)));
    },
  };
}

/** Refuses what the server would refuse, before anything is paid for; returns the prompt to send. */
function checkRequest(caps: EngineCapabilities, request: EngineRequest, maxPromptLength: number): string {
  if (!caps.operations.includes(request.operation)) {
    throw new EngineRefusedError(`Engine ${caps.id} does not support ${request.operation}`);
  }
  const { count } = request;
  if (!Number.isInteger(count) || count < 1 || count > caps.maxResults) {
    throw new EngineRefusedError(`Engine ${caps.id} returns 1 to ${caps.maxResults} results, not ${count}`);
  }
  const prompt = request.prompt?.trim() || (request.operation === "erase" ? ERASE_PROMPT : "");
  if (!prompt) throw new EngineRefusedError(`Engine ${caps.id} needs a prompt for ${request.operation}`);
  if (prompt.length > maxPromptLength) {
    throw new EngineRefusedError(
      `Engine ${caps.id} accepts prompts of at most ${maxPromptLength} characters`,
    );
  }
  return prompt;
}

/** A PNG as a Blob; copied into a plain `Uint8Array`, as a Blob takes no shared-memory views. */
function pngBlob(png: Uint8Array): Blob {
  return new Blob([new Uint8Array(png)], { type: "image/png" });
}
