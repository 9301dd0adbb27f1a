import { ValidationError } from "@retouch/core";
import { NOVA_CANVAS_MODEL_ID } from "./nova-canvas-shared";
import {
  STABILITY_DEFAULT_MODEL_IDS,
  STABILITY_MODEL_KEYS,
  STABILITY_PROFILES,
  type StabilityModelKey,
} from "./stability-profiles";

/**
 * A cross-region inference profile id is a geography prefix on the model id (`us.`, `eu.`,
 * `apac.`, `global.`): https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html
 */
const INFERENCE_PROFILE_PREFIX = /^(us|us-gov|eu|apac|ca|jp|au|global)\.(?=[a-z]+\.)/;

/** What a list of Bedrock model ids enables: which Stability models, and whether Nova Canvas. */
export interface BedrockModelSelection {
  /** Stability model id by catalogue key, for the ids that name a Stability model. */
  stability: Partial<Record<StabilityModelKey, string>>;
  /** The id to invoke Nova Canvas with, when listed. */
  novaCanvas: string | null;
}

/** The foundation model an id names: the id itself, or the model behind an inference profile. */
export function baseModelId(modelId: string): string {
  return modelId.replace(INFERENCE_PROFILE_PREFIX, "");
}

/** Whether the id is a cross-region inference profile rather than a foundation model. */
export function isInferenceProfileId(modelId: string): boolean {
  return INFERENCE_PROFILE_PREFIX.test(modelId);
}

/**
 * Sorts a deployment's model ids into the engines that use them, so the engines offered are
 * exactly the ones the deployment may invoke. An id no engine knows is refused by name.
 *
 * @example
 * ```ts
 * selectBedrockModels(["us.stability.stable-image-inpaint-v1:0", "amazon.nova-canvas-v1:0"]);
 * // { stability: { inpaint: "us.stability.stable-image-inpaint-v1:0" }, novaCanvas: "amazon.nova-canvas-v1:0" }
 * ```
 */
export function selectBedrockModels(modelIds: readonly string[]): BedrockModelSelection {
  const selection: BedrockModelSelection = { stability: {}, novaCanvas: null };
  for (const modelId of modelIds) {
    const base = baseModelId(modelId);
    if (base === NOVA_CANVAS_MODEL_ID) {
      selection.novaCanvas = modelId;
      continue;
    }
    const key = STABILITY_MODEL_KEYS.find(
      (candidate) => STABILITY_PROFILES[candidate].defaultModelId === base,
    );
    if (!key) {
      const known = [...STABILITY_DEFAULT_MODEL_IDS, NOVA_CANVAS_MODEL_ID];
      throw new ValidationError(
        `Bedrock model "${modelId}" is not one Retouch has an engine for; known models: ${known.join(", ")} ` +
          "(optionally with an inference-profile prefix such as us.)",
      );
    }
    selection.stability[key] = modelId;
  }
  return selection;
}
