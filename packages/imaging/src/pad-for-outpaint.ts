import type { BinaryMask, Margins, RasterImage } from "@retouch/core";

/** An outpaint canvas: the source with its edges extended into the margins, and a mask of the margins. */
export interface OutpaintCanvas {
  canvas: RasterImage;
  mask: BinaryMask;
}

/**
 * Grows `image` by `margins`. New pixels repeat the nearest edge pixel (rather than staying
 * transparent) so an engine that looks at them sees plausible colours; the mask marks them as
 * the area to paint, and the original region stays bit-identical.
 */
export function padForOutpaint(image: RasterImage, margins: Margins): OutpaintCanvas {
  const width = image.width + margins.left + margins.right;
  const height = image.height + margins.top + margins.bottom;
  const data = new Uint8Array(width * height * 4);
  const mask = new Uint8Array(width * height).fill(255);
  const rowBytes = width * 4;
  for (let y = 0; y < image.height; y++) {
    const row = (y + margins.top) * rowBytes;
    const from = y * image.width * 4;
    data.set(image.data.subarray(from, from + image.width * 4), row + margins.left * 4);
    const first = row + margins.left * 4;
    const last = first + (image.width - 1) * 4;
    for (let x = 0; x < margins.left; x++) data.copyWithin(row + x * 4, first, first + 4);
    for (let x = 0; x < margins.right; x++) data.copyWithin(last + 4 + x * 4, last, last + 4);
    mask.fill(
      0,
      (y + margins.top) * width + margins.left,
      (y + margins.top) * width + margins.left + image.width,
    );
  }
  const firstRow = margins.top * rowBytes;
  const lastRow = (margins.top + image.height - 1) * rowBytes;
  for (let y = 0; y < margins.top; y++) data.copyWithin(y * rowBytes, firstRow, firstRow + rowBytes);
  for (let y = margins.top + image.height; y < height; y++)
    data.copyWithin(y * rowBytes, lastRow, lastRow + rowBytes);
  return { canvas: { width, height, data }, mask: { width, height, data: mask } };
}
