import { readFile } from "node:fs/promises";
import sharp from "sharp";
import type { RasterImage } from "@retouch/core";
import { photoPath } from "../../../test/photos";

/** Bytes of a real photo from the shared test set. */
export function photo(name: string): Promise<Buffer> {
  return readFile(photoPath(name));
}

/** Decodes any encoded image to raw RGBA with sharp directly, independent of the code under test. */
export async function rgbaOf(bytes: Uint8Array): Promise<RasterImage> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

/** The RGBA bytes of pixel (x, y). */
export function pixelAt(image: RasterImage, x: number, y: number): number[] {
  const i = (y * image.width + x) * 4;
  return [...image.data.subarray(i, i + 4)];
}

/** Rejection of `promise`, or a failure when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** How many bytes differ between two buffers (their length difference counts too); 0 when identical. */
export function differingBytes(a: Uint8Array, b: Uint8Array): number {
  let count = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) count++;
  return count;
}
