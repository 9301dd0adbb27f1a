import type { RasterImage } from "@retouch/core";
import { createLocalBackgroundRemovalEngine } from "@retouch/engines";

/**
 * How the emulator answers background removal (Stability remove-background, Nova
 * BACKGROUND_REMOVAL): `"synthetic"` keeps a centred ellipse opaque (instant, marked by the
 * `x-emulator-synthetic` header; the default, for tests); `"local-bg"` runs the real CPU engine
 * (IMG.LY's segmentation model in a worker thread, ~20 CPU-seconds per photo).
 */
export type BackgroundRemovalMode = "local-bg" | "synthetic";

/** Cuts the subject out of an opaque RGBA image; `synthetic` says whether the answer is fake. */
export interface BackgroundRemover {
  readonly synthetic: boolean;
  cutOut(image: RasterImage): Promise<RasterImage>;
  /** Aborts running cut-outs (ending the model's thread); idle threads never hold the process. */
  close(): void;
}

/** Longest a real cut-out may take before the emulator answers 500. */
const CUT_OUT_TIMEOUT_MS = 300_000;

export function createBackgroundRemover(mode: BackgroundRemovalMode): BackgroundRemover {
  if (mode === "synthetic") {
    return { synthetic: true, cutOut: (image) => Promise.resolve(ellipseAlpha(image)), close: () => {} };
  }
  const engine = createLocalBackgroundRemovalEngine();
  const closing = new AbortController();
  return {
    synthetic: false,
    async cutOut(image) {
      const signal = AbortSignal.any([closing.signal, AbortSignal.timeout(CUT_OUT_TIMEOUT_MS)]);
      const [cutOut] = await engine.run(
        {
          operation: "remove-background",
          image,
          mask: null,
          prompt: null,
          negativePrompt: null,
          count: 1,
          seed: 0,
          options: {},
        },
        { signal, onProgress: () => {} },
      );
      return cutOut!;
    },
    close: () => closing.abort(),
  };
}

/** SYNTHETIC: opaque inside the centred ellipse, transparent outside. */
function ellipseAlpha(image: RasterImage): RasterImage {
  const data = new Uint8Array(image.data);
  const cx = image.width / 2;
  const cy = image.height / 2;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const dx = (x + 0.5 - cx) / cx;
      const dy = (y + 0.5 - cy) / cy;
      data[(y * image.width + x) * 4 + 3] = dx * dx + dy * dy <= 1 ? 255 : 0;
    }
  }
  return { width: image.width, height: image.height, data };
}
