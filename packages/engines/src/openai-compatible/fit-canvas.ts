import type { BinaryMask, RasterImage } from "@retouch/core";

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
 * Resizes pixels bilinearly (`channels` per pixel). Only servers that answer at another size
 * than asked, or images larger than every size, need it, so plain bilinear is enough here.
 */
function resizeBilinear(
  data: Uint8Array,
  from: { width: number; height: number },
  to: { width: number; height: number },
  channels: number,
): Uint8Array {
  if (from.width === to.width && from.height === to.height) return data;
  const out = new Uint8Array(to.width * to.height * channels);
  const sx = from.width / to.width;
  const sy = from.height / to.height;
  for (let y = 0; y < to.height; y++) {
    const fy = Math.min(from.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(from.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < to.width; x++) {
      const fx = Math.min(from.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(from.width - 1, x0 + 1);
      const wx = fx - x0;
      for (let c = 0; c < channels; c++) {
        const a = data[(y0 * from.width + x0) * channels + c]!;
        const b = data[(y0 * from.width + x1) * channels + c]!;
        const d = data[(y1 * from.width + x0) * channels + c]!;
        const e = data[(y1 * from.width + x1) * channels + c]!;
        const top = a + (b - a) * wx;
        const bottom = d + (e - d) * wx;
        out[(y * to.width + x) * channels + c] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return out;
}

function resizeRgba(image: RasterImage, width: number, height: number): RasterImage {
  return { width, height, data: resizeBilinear(image.data, image, { width, height }, 4) };
}

/**
 * The image on the server's canvas: scaled to `placement.inner`, its edge pixels repeated into
 * the padding (so the model sees a plausible continuation, not a black bar), fully opaque —
 * DALL·E-style servers also edit transparent pixels of the image itself.
 */
export function toCanvas(image: RasterImage, placement: Placement): RasterImage {
  const inner = resizeRgba(image, placement.inner.width, placement.inner.height);
  const { width, height } = placement.size;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(y, inner.height - 1);
    for (let x = 0; x < width; x++) {
      const from = (sy * inner.width + Math.min(x, inner.width - 1)) * 4;
      const to = (y * width + x) * 4;
      data[to] = inner.data[from]!;
      data[to + 1] = inner.data[from + 1]!;
      data[to + 2] = inner.data[from + 2]!;
      data[to + 3] = 255;
    }
  }
  return { width, height, data };
}

/**
 * The OpenAI mask convention on the server's canvas: the canvas's pixels, with alpha 0 where the
 * edit may change them (our mask, scaled so any touched pixel counts) and 255 elsewhere,
 * padding included.
 */
export function toAlphaMask(canvas: RasterImage, mask: BinaryMask, placement: Placement): RasterImage {
  const { width: iw, height: ih } = placement.inner;
  const painted = resizeBilinear(mask.data, mask, placement.inner, 1);
  const data = new Uint8Array(canvas.data);
  for (let y = 0; y < ih; y++) {
    for (let x = 0; x < iw; x++) {
      if (painted[y * iw + x]! > 0) data[(y * canvas.width + x) * 4 + 3] = 0;
    }
  }
  return { width: canvas.width, height: canvas.height, data };
}

/** The inverse of `toCanvas`: the image's part of a server result, at the request's size. */
export function fromCanvas(
  result: RasterImage,
  placement: Placement,
  width: number,
  height: number,
): RasterImage {
  // A server may answer at another size than asked for; scale it onto the canvas first.
  const canvas = resizeRgba(result, placement.size.width, placement.size.height);
  const { width: iw, height: ih } = placement.inner;
  const data = new Uint8Array(iw * ih * 4);
  for (let y = 0; y < ih; y++) {
    data.set(canvas.data.subarray(y * canvas.width * 4, (y * canvas.width + iw) * 4), y * iw * 4);
  }
  return resizeRgba({ width: iw, height: ih, data }, width, height);
}
