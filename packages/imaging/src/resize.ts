import sharp from "sharp";
import type { BinaryMask, RasterImage } from "@retouch/core";
import type { Size } from "./working-size";

/** Resizes RGBA pixels to exactly `size` with a Lanczos-3 filter (sharp premultiplies alpha). */
export async function resizeRaster(image: RasterImage, size: Size): Promise<RasterImage> {
  if (image.width === size.width && image.height === size.height) return image;
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .resize(size.width, size.height, { fit: "fill", kernel: "lanczos3" })
    .raw()
    .toBuffer();
  return { ...size, data };
}

/**
 * Resizes a mask to exactly `size` and re-binarises it so that any working pixel touched by
 * the painted area counts as painted. Erring on the painted side means a thin stroke never
 * vanishes when scaled down, so the engine always redraws everything the user painted.
 */
export async function resizeMask(mask: BinaryMask, size: Size): Promise<BinaryMask> {
  if (mask.width === size.width && mask.height === size.height) return mask;
  const averaged = await sharp(mask.data, { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .resize(size.width, size.height, { fit: "fill", kernel: "linear" })
    .toColourspace("b-w") // else sharp writes three sRGB channels
    .raw()
    .toBuffer();
  const data = new Uint8Array(averaged.length);
  for (let i = 0; i < averaged.length; i++) data[i] = averaged[i] !== 0 ? 255 : 0;
  return { ...size, data };
}
