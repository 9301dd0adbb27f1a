import { EngineRefusedError, type Operation } from "@retouch/core";
import type { BedrockModelProfile } from "./model-profile";
import { fitNovaCanvas } from "./nova-canvas-size";
import {
  NOVA_CANVAS_GENERATION,
  NOVA_CANVAS_LIMITS,
  NOVA_CANVAS_MODEL_ID,
  novaGenerationConfig,
  novaMaskBase64,
  novaTexts,
  parseNovaCanvasResponse,
} from "./nova-canvas-shared";
import { toBase64 } from "./stability-shared";

/** What sets one of our operations on Nova Canvas's INPAINTING task apart. */
export interface NovaInpaintingSpec {
  operation: Extract<Operation, "inpaint" | "erase" | "replace">;
  /** Whether the prompt is sent as `text`; without it Nova removes what the mask covers. */
  usesText: boolean;
  /** The request option that may name the area instead of a painted mask (sent as `maskPrompt`). */
  maskPromptOption: string;
}

/**
 * A profile for Nova Canvas's `INPAINTING` task (`inPaintingParams {image, maskImage | maskPrompt,
 * text?, negativeText?}`,
 * https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html). The area
 * comes from the request option `spec.maskPromptOption` when it is set, else from the painted
 * mask, converted to Nova's convention (black = paint, white = keep).
 *
 * @example
 * ```ts
 * const erase = novaInpaintingProfile({ operation: "erase", usesText: false, maskPromptOption: "maskPrompt" });
 * ```
 */
export function novaInpaintingProfile(spec: NovaInpaintingSpec): BedrockModelProfile {
  const { maxPromptLength } = NOVA_CANVAS_LIMITS;
  return {
    defaultModelId: NOVA_CANVAS_MODEL_ID,
    operation: spec.operation,
    promptRequired: spec.usesText,
    usesNegativePrompt: spec.usesText,
    usesMask: false,
    maxImagesPerCall: NOVA_CANVAS_GENERATION.maxImages,
    limits: NOVA_CANVAS_LIMITS,
    prepare: fitNovaCanvas,
    async buildBody({ imagePng, mask, prompt, negativePrompt, seed, count, options }) {
      const maskPrompt = options[spec.maskPromptOption];
      let area: Record<string, string>;
      if (typeof maskPrompt === "string" && maskPrompt.trim()) {
        if (maskPrompt.length > maxPromptLength) {
          throw new EngineRefusedError(
            `options.${spec.maskPromptOption} is at most ${maxPromptLength} characters`,
          );
        }
        area = { maskPrompt };
      } else if (mask.data.some((value) => value !== 0)) {
        area = { maskImage: await novaMaskBase64(mask, "black") };
      } else {
        throw new EngineRefusedError(
          `Nova Canvas ${spec.operation} needs a painted mask or options.${spec.maskPromptOption} naming the area`,
        );
      }
      return {
        taskType: "INPAINTING",
        inPaintingParams: {
          image: toBase64(imagePng),
          ...area,
          ...(spec.usesText ? novaTexts(prompt, negativePrompt) : {}),
        },
        imageGenerationConfig: novaGenerationConfig({ count, seed, options }),
      };
    },
    parseResponse: parseNovaCanvasResponse,
  };
}
