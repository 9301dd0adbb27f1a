import {
  ValidationError,
  type BinaryMask,
  type Margins,
  type Operation,
  type RasterImage,
} from "@retouch/core";
import { maskCoverage } from "./mask-coverage";
import { padForOutpaint } from "./pad-for-outpaint";
import { assertSameSize } from "./size-mismatch";

interface OperationNeeds {
  source: boolean;
  mask: "required" | "optional" | "none";
  margins: boolean;
}

/** What each operation takes (DESIGN.md, "Edits"). `replace` finds its area itself unless given a mask. */
const NEEDS: Record<Operation, OperationNeeds> = {
  inpaint: { source: true, mask: "required", margins: false },
  erase: { source: true, mask: "required", margins: false },
  replace: { source: true, mask: "optional", margins: false },
  outpaint: { source: true, mask: "none", margins: true },
  "remove-background": { source: true, mask: "none", margins: false },
  variation: { source: true, mask: "none", margins: false },
  generate: { source: false, mask: "none", margins: false },
};

/** The full-size image and mask an engine edits: the source (padded, for outpaint) and the area to change. */
export interface FullSizeInputs {
  canvas: RasterImage | null;
  mask: BinaryMask | null;
}

/** Checks that `operation` got what it needs and nothing it does not, and builds its canvas. */
export function prepareInputs(
  operation: Operation,
  source: RasterImage | null,
  mask: BinaryMask | null,
  margins: Margins | null,
): FullSizeInputs {
  const needs = NEEDS[operation];
  if (needs.source && !source) {
    throw new ValidationError(`The ${operation} operation needs a source image`);
  }
  if (!needs.source && source) {
    throw new ValidationError(`The ${operation} operation does not take a source image`);
  }
  if (needs.mask === "none" && mask) {
    throw new ValidationError(`The ${operation} operation does not take a mask`);
  }
  if (needs.mask === "required" && !mask) {
    throw new ValidationError(`The ${operation} operation needs a mask: paint the area to change`);
  }
  if (!needs.margins && margins) {
    throw new ValidationError("Only the outpaint operation takes margins");
  }
  if (needs.margins && !hasMargins(margins)) {
    throw new ValidationError("The outpaint operation needs margins: how many pixels to add on each side");
  }
  if (source && margins) return padForOutpaint(source, margins);
  if (source && mask) {
    assertSameSize(mask, source);
    if (maskCoverage(mask) === 0) throw new ValidationError("The mask is empty: paint the area to change");
  }
  return { canvas: source, mask };
}

function hasMargins(margins: Margins | null): margins is Margins {
  if (!margins) return false;
  const sides = [margins.top, margins.right, margins.bottom, margins.left];
  return sides.every((side) => Number.isInteger(side) && side >= 0) && sides.some((side) => side > 0);
}
