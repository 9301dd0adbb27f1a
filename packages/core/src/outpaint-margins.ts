import { ValidationError } from "./errors";

/** Per-side pixels added by `outpaint`. */
export interface OutpaintMargins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** The largest margin on one side (the same bound `MarginsSchema` enforces). */
export const MAX_OUTPAINT_MARGIN = 4096;

/** A target aspect ratio written `width:height`, e.g. `16:9`; each part 1–100. */
export const ASPECT_RATIO_PATTERN = /^([1-9]\d?|100):([1-9]\d?|100)$/;

/**
 * Parses `width:height` into its two parts.
 *
 * @throws ValidationError when `value` is not two whole numbers 1–100 joined by `:`.
 * @example
 * ```ts
 * parseAspectRatio("16:9"); // { width: 16, height: 9 }
 * ```
 */
export function parseAspectRatio(value: string): { width: number; height: number } {
  const match = ASPECT_RATIO_PATTERN.exec(value.trim());
  if (!match) {
    throw new ValidationError(
      `aspectRatio must be two whole numbers from 1 to 100 written width:height (e.g. 16:9), not '${value}'`,
    );
  }
  return { width: Number(match[1]), height: Number(match[2]) };
}

/**
 * The margins that extend an image of `width`×`height` to the aspect ratio `ratio`, centred: only
 * the short side grows, split evenly between its two edges (the odd pixel goes right or bottom).
 *
 * @throws ValidationError when the image already has that ratio, or when reaching it needs more
 *   than {@link MAX_OUTPAINT_MARGIN} pixels on a side.
 * @example
 * ```ts
 * outpaintMarginsForAspectRatio(600, 600, "16:9"); // { top: 0, right: 234, bottom: 0, left: 233 }
 * ```
 */
export function outpaintMarginsForAspectRatio(width: number, height: number, ratio: string): OutpaintMargins {
  const target = parseAspectRatio(ratio);
  // Compare width/height with target.width/target.height without floating-point division.
  const wide = width * target.height;
  const tall = height * target.width;
  let margins: OutpaintMargins;
  if (wide < tall) {
    const extra = Math.round((height * target.width) / target.height) - width;
    margins = { top: 0, right: Math.ceil(extra / 2), bottom: 0, left: Math.floor(extra / 2) };
  } else {
    const extra = Math.round((width * target.height) / target.width) - height;
    margins = { top: Math.floor(extra / 2), right: 0, bottom: Math.ceil(extra / 2), left: 0 };
  }
  const total = margins.top + margins.right + margins.bottom + margins.left;
  if (total === 0) {
    throw new ValidationError(`The image (${width}×${height}) already has the aspect ratio ${ratio}`);
  }
  if (Math.max(margins.top, margins.right, margins.bottom, margins.left) > MAX_OUTPAINT_MARGIN) {
    throw new ValidationError(
      `Extending ${width}×${height} to ${ratio} needs more than ${MAX_OUTPAINT_MARGIN} pixels on a side`,
    );
  }
  return margins;
}
