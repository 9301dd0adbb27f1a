import { ValidationError } from "@retouch/core";

interface Size {
  width: number;
  height: number;
}

/** Refuses a mask whose size differs from its image's. */
export function assertSameSize(mask: Size, image: Size): void {
  if (mask.width === image.width && mask.height === image.height) return;
  throw new ValidationError(
    `The mask is ${mask.width}×${mask.height} but the image is ${image.width}×${image.height}; ` +
      "they must be the same size",
  );
}
