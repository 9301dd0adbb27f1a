import type { BedrockModelProfile } from "./model-profile";
import { stabilityEraseProfile } from "./stability-erase";
import { stabilityInpaintProfile } from "./stability-inpaint";
import { stabilityOutpaintProfile } from "./stability-outpaint";
import { stabilityRemoveBackgroundProfile } from "./stability-remove-background";
import { stabilitySearchRecolorProfile } from "./stability-search-recolor";
import { stabilitySearchReplaceProfile } from "./stability-search-replace";

/**
 * The Stability AI models the `bedrock-stability` engine offers, by the key that names each in
 * `RETOUCH_BEDROCK_STABILITY_MODEL_IDS` (`key=model-id`). The engine's operations, the model-id
 * settings it accepts and the models the AWS worker may invoke are all derived from this list,
 * so adding a model is its profile file plus one line here.
 *
 * A key is the profile's operation, except for a second model of the same operation, which the
 * engine picks by `options.mode` (search-recolor serves `replace` with `mode: "recolor"`).
 */
export const STABILITY_PROFILES = {
  inpaint: stabilityInpaintProfile,
  erase: stabilityEraseProfile,
  outpaint: stabilityOutpaintProfile,
  replace: stabilitySearchReplaceProfile,
  recolor: stabilitySearchRecolorProfile,
  "remove-background": stabilityRemoveBackgroundProfile,
} as const satisfies Record<string, BedrockModelProfile>;

export type StabilityModelKey = keyof typeof STABILITY_PROFILES;

/** The keys of `STABILITY_PROFILES`, in order. */
export const STABILITY_MODEL_KEYS = Object.keys(STABILITY_PROFILES) as StabilityModelKey[];

/** Every model `bedrock-stability` invokes unless configured otherwise. */
export const STABILITY_DEFAULT_MODEL_IDS: readonly string[] = Object.values(STABILITY_PROFILES).map(
  (profile) => profile.defaultModelId,
);

export function isStabilityModelKey(key: string): key is StabilityModelKey {
  return Object.hasOwn(STABILITY_PROFILES, key);
}
