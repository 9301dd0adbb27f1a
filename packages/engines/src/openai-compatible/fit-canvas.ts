import type { BinaryMask, RasterImage } from "@retouch/core";
import { padForOutpaint, resizeMask, resizeRaster } from "@retouch/imaging";

/** A `WIDTHxHEIGHT` size an OpenAI-compatible server accepts, parsed. */
export interface ServerSize {
  width: number;
  height: number;
}

/** Parses `"1024x1024"`; throws for anything else, so a bad option fails when the engine is made. */
export function parseServerSize(size: string): ServerSize {
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!match) throw new Error(`An image size must look like 1024x1024, not '${size}'`);
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (width < 1 || height < 1) throw new Error(`An image size must be positive, not '${size}'`);
  return { width, height };
}

export const sizeName = (size: ServerSize) => `${size.width}x${size.height}`;

/** Where the (possibly scaled) image sits inside the server-sized canvas. */
export interface Placement {
  size: ServerSize;
  /** The image's size once scaled to fit the canvas (its own size when it already fits). */
  inner: { width: number; height: number };
}

/**
 * The size to send an image of `width`×`height` at: the one that needs the least shrinking,
 * and among those the smallest (least padding, cheapest). The image is placed at the canvas's
 * top-left corner and the rest is padding the server is told to keep.
 */
export function placeImage(width: number, height: number, sizes: ServerSize[]): Placement {
  let best: { size: ServerSize; scale: number } | undefined;
  for (const size of sizes) {
    const scale = Math.min(1, size.width / width, size.height / height);
    const better =
      !best ||
      scale > best.scale ||
      (scale === best.scale && size.width * size.height < best.size.width * best.size.height);
    if (better) best = { size, scale };
  }
  if (!best) throw new Error("No image size to send at");
  const { size, scale } = best;
  const inner =
    scale === 1
      ? { width, height }
      : {
          width: Math.max(1, Math.min(size.width, Math.round(width * scale))),
          height: Math.max(1, Math.min(size.height, Math.round(height * scale))),
        };
  return { size, inner };
}

/**
 * The image on the server's canvas: scaled to `placement.inner`, its edge pixels repeated into
 * the padding (so the model sees a plausible continuation, not a black bar), fully opaque —
 * DALL·E-style servers also edit transparent pixels of the image itself.
 */
export async function toCanvas(image: RasterImage, placement: Placement): Promise<RasterImage> {
  const inner = await resizeRaster(opaque(image), placement.inner);
  const { width, height } = placement.size;
  return padForOutpaint(inner, { left: 0, top: 0, right: width - inner.width, bottom: height - inner.height })
    .canvas;
}

/** The image with every alpha at 255 and its colours as they are. */
function opaque(image: RasterImage): RasterImage {
  const data = new Uint8Array(image.data);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { width: image.width, height: image.height, data };
}

/**
 * The OpenAI mask convention on the server's canvas: the canvas's pixels, with alpha 0 where the
 * edit may change them (our mask, scaled so any touched pixel counts) and 255 elsewhere,
 * padding included.
 */
export async function toAlphaMask(
  canvas: RasterImage,
  mask: BinaryMask,
  placement: Placement,
): Promise<RasterImage> {
  const { width: iw, height: ih } = placement.inner;
  const painted = (await resizeMask(mask, placement.inner)).data;
  const data = new Uint8Array(canvas.data);
  for (let y = 0; y < ih; y++) {
    for (let x = 0; x < iw; x++) {
      if (painted[y * iw + x]! > 0) data[(y * canvas.width + x) * 4 + 3] = 0;
    }
  }
  return { width: canvas.width, height: canvas.height, data };
}

/** The inverse of `toCanvas`: the image's part of a server result, at the request's size. */
export async function fromCanvas(
  result: RasterImage,
  placement: Placement,
  width: number,
  height: number,
): Promise<RasterImage> {
  // A server may answer at another size than asked for; scale it onto the canvas first.
  const canvas = await resizeRaster(result, placement.size);
  const { width: iw, height: ih } = placement.inner;
  const data = new Uint8Array(iw * ih * 4);
  for (let y = 0; y < ih; y++) {
    data.set(canvas.data.subarray(y * canvas.width * 4, (y * canvas.width + iw) * 4), y * iw * 4);
  }
  return resizeRaster({ width: iw, height: ih, data }, { width, height });
}
