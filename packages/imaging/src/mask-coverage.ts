import type { BinaryMask } from "@retouch/core";

/**
 * The fraction of painted pixels in a mask, from 0 (empty) to 1 (everything).
 *
 * @example
 * ```ts
 * if (maskCoverage(mask) === 0) throw new ValidationError("The mask is empty: paint the area to change");
 * ```
 */
export function maskCoverage(mask: BinaryMask): number {
  if (mask.data.length === 0) return 0;
  let painted = 0;
  for (const value of mask.data) if (value !== 0) painted++;
  return painted / mask.data.length;
}
