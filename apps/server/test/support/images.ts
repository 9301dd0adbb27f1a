import sharp from "sharp";
import { photosDir } from "../../../../test/photos";

export const PHOTOS = photosDir();

/** A greyscale PNG mask, white inside the rectangle. */
export async function rectangleMask(
  width: number,
  height: number,
  rect: { left: number; top: number; width: number; height: number },
): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height);
  for (let y = rect.top; y < rect.top + rect.height; y++)
    pixels.fill(255, y * width + rect.left, y * width + rect.left + rect.width);
  return sharp(pixels, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

/** RGBA pixels of an encoded image. */
export async function rgba(bytes: Uint8Array): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(bytes)
    .rotate()
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Counts pixels that differ outside and inside a rectangle. */
export function diffByRegion(
  a: { data: Buffer; width: number; height: number },
  b: { data: Buffer; width: number; height: number },
  rect: { left: number; top: number; width: number; height: number },
): { outside: number; inside: number } {
  let outside = 0;
  let inside = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = (y * a.width + x) * 4;
      const same =
        a.data[i] === b.data[i] &&
        a.data[i + 1] === b.data[i + 1] &&
        a.data[i + 2] === b.data[i + 2] &&
        a.data[i + 3] === b.data[i + 3];
      if (same) continue;
      const within =
        x >= rect.left && x < rect.left + rect.width && y >= rect.top && y < rect.top + rect.height;
      if (within) inside++;
      else outside++;
    }
  }
  return { outside, inside };
}
