import type { ModelLimits, ProfileOutput } from "./model-profile";

/**
 * Limits shared by the Stability AI Image Services on Bedrock:
 * https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html
 * — every side at least 64 px, at most 9,437,184 pixels, prompts up to 10,000 characters,
 * seeds in [0, 4294967294].
 */
export const STABILITY_IMAGE_SERVICES_LIMITS: ModelLimits = {
  minSide: 64,
  maxPixels: 9_437_184,
  maxPromptLength: 10_000,
  maxSeed: 4_294_967_294,
};

/**
 * Reads `{"images": [base64], "seeds": [n], "finish_reasons": [null | string]}`. The documented
 * non-null finish reasons are `"Filter reason: prompt"`, `"Filter reason: output image"`,
 * `"Filter reason: input image"` (the content filter withheld the image) and `"Inference error"`
 * (the model failed): https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-diffusion-stable-image-core-text-image-request-response.html
 * A reason that names no filter is treated as a failure, not as a refusal.
 */
export function parseStabilityResponse(body: unknown): ProfileOutput {
  if (typeof body !== "object" || body === null) throw new Error("the response is not a JSON object");
  const { images, finish_reasons: reasons } = body as { images?: unknown; finish_reasons?: unknown };
  if (Array.isArray(reasons)) {
    const reason = reasons.find((r): r is string => typeof r === "string" && r.length > 0);
    if (reason) return { kind: isContentFilterReason(reason) ? "filtered" : "failed", reason };
  }
  if (!Array.isArray(images) || images.length === 0 || !images.every((i) => typeof i === "string")) {
    throw new Error("the response has no images");
  }
  return { kind: "images", images: images.map((i: string) => new Uint8Array(Buffer.from(i, "base64"))) };
}

function isContentFilterReason(reason: string): boolean {
  return /filter/i.test(reason);
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}
