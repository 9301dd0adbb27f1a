import type { BinaryMask, RasterImage } from "@retouch/core";
import { cropPixels, flattenOnWhite, padForOutpaint, resizeMask, resizeRaster } from "@retouch/imaging";
import type { PreparedCanvas } from "./model-profile";

/**
 * Image sizes Amazon Nova Canvas accepts ("Supported image resolutions",
 * https://docs.aws.amazon.com/nova/latest/userguide/image-gen-access.html#image-gen-resolutions):
 * each side 320–4096 px and a multiple of 16, at most 4,194,304 pixels in all, and an aspect
 * ratio between 1:4 and 4:1.
 */
export const NOVA_CANVAS_SIZE_RULES = {
  minSide: 320,
  maxSide: 4096,
  sideStep: 16,
  maxPixels: 4_194_304,
  maxAspect: 4,
} as const;

interface Size {
  width: number;
  height: number;
}

/** Where the (scaled) picture sits inside the canvas Nova Canvas gets. */
export interface NovaCanvasLayout {
  /** The picture after scaling, before padding. */
  content: Size;
  /** A size Nova Canvas accepts, holding `content` centred. */
  canvas: Size;
  left: number;
  top: number;
}

const { minSide, maxSide, sideStep, maxPixels, maxAspect } = NOVA_CANVAS_SIZE_RULES;
const ceilStep = (n: number) => Math.ceil(n / sideStep) * sideStep;

/**
 * Lays out a `width`×`height` picture for Nova Canvas. Scaling is a last resort (it resamples
 * pixels): the picture is scaled up only when its shorter side is under 320 px and the scaled
 * picture still fits the limits, and down only when it could not fit otherwise. What remains —
 * sides that are not multiples of 16, a side still under 320 px, an aspect ratio beyond 4:1 — is
 * padded.
 *
 * @example
 * ```ts
 * novaCanvasLayout(1000, 750); // content 1000×750 centred in a 1008×752 canvas
 * ```
 */
export function novaCanvasLayout(width: number, height: number): NovaCanvasLayout {
  const up = minSide / Math.min(width, height);
  const upFits = up > 1 && up * Math.max(width, height) <= maxSide && up * up * width * height <= maxPixels;
  let scale = upFits
    ? up
    : Math.min(1, maxSide / Math.max(width, height), Math.sqrt(maxPixels / (width * height)));
  for (;;) {
    const content = {
      width: Math.max(1, Math.round(width * scale)),
      height: Math.max(1, Math.round(height * scale)),
    };
    let canvasWidth = ceilStep(Math.max(content.width, minSide));
    let canvasHeight = ceilStep(Math.max(content.height, minSide));
    if (canvasWidth > maxAspect * canvasHeight) canvasHeight = ceilStep(canvasWidth / maxAspect);
    if (canvasHeight > maxAspect * canvasWidth) canvasWidth = ceilStep(canvasHeight / maxAspect);
    const fits = Math.max(canvasWidth, canvasHeight) <= maxSide && canvasWidth * canvasHeight <= maxPixels;
    if (fits) {
      return {
        content,
        canvas: { width: canvasWidth, height: canvasHeight },
        left: Math.floor((canvasWidth - content.width) / 2),
        top: Math.floor((canvasHeight - content.height) / 2),
      };
    }
    // Padding to a multiple of 16 pushed it over a limit: shrink a little and lay out again.
    scale *= 0.99;
  }
}

/**
 * Fits an image and its mask into a canvas Nova Canvas accepts (see `novaCanvasLayout`): scaled
 * if it must be, padded with its edge pixels (so the model sees plausible colours there), with
 * every pixel made opaque over white because Nova refuses transparent or translucent pixels
 * (https://docs.aws.amazon.com/nova/latest/userguide/image-gen-access.html#image-gen-input-images).
 * Padding is never marked for editing. `restore` crops an answer back to the picture and scales
 * it to the original size. An image without pixels (a text-to-image canvas) only gets its size
 * fitted.
 *
 * @example
 * ```ts
 * const canvas = await fitNovaCanvas(image, mask);
 * const result = await canvas.restore(answer); // image.width × image.height again
 * ```
 */
export async function fitNovaCanvas(image: RasterImage, mask: BinaryMask): Promise<PreparedCanvas> {
  const layout = novaCanvasLayout(image.width, image.height);
  const { canvas, content, left, top } = layout;
  const original = { width: image.width, height: image.height };
  const restore = (result: RasterImage): Promise<RasterImage> => {
    const sameCanvas = result.width === canvas.width && result.height === canvas.height;
    // Nothing to cut away when the photo filled the canvas (no padding was added).
    const padded = content.width !== canvas.width || content.height !== canvas.height;
    const cropped =
      sameCanvas && padded
        ? { ...content, data: cropPixels(result.data, result.width, { left, top, ...content }, 4) }
        : result;
    return resizeRaster(cropped, original);
  };
  if (image.data.length === 0) {
    return {
      image: { ...canvas, data: new Uint8Array() },
      mask: { ...canvas, data: new Uint8Array() },
      restore,
    };
  }
  const scaledImage = await resizeRaster(flattenOnWhite(image), content);
  // Any pixel a painted pixel touches stays painted, so a thin stroke never vanishes.
  const scaledMask = await resizeMask(mask, content);
  return {
    image: padWithEdges(scaledImage, layout),
    mask: padMask(scaledMask, layout),
    restore,
  };
}

/** Centres the picture on the canvas and repeats its edge pixels into the padding. */
function padWithEdges(image: RasterImage, layout: NovaCanvasLayout): RasterImage {
  const { canvas, left, top } = layout;
  const right = canvas.width - left - image.width;
  const bottom = canvas.height - top - image.height;
  return padForOutpaint(image, { left, top, right, bottom }).canvas;
}

function padMask(mask: BinaryMask, layout: NovaCanvasLayout): BinaryMask {
  const { canvas, left, top } = layout;
  const data = new Uint8Array(canvas.width * canvas.height);
  for (let y = 0; y < mask.height; y++) {
    data.set(mask.data.subarray(y * mask.width, (y + 1) * mask.width), (y + top) * canvas.width + left);
  }
  return { ...canvas, data };
}
