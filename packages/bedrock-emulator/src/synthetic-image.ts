import type { RasterImage } from "@retouch/core";

/**
 * The emulator's stand-ins for what only a real model can paint (text-to-image, variations,
 * search-replace/recolor): deterministic images derived from the request, each stamped with a
 * visible "SYNTHETIC" label so nobody mistakes one for a model's work, in a screenshot or a
 * downloaded file, even without the `x-emulator-synthetic` header.
 */

/** A colour hashed (FNV-1a) from `key`, so the same request gives the same picture. */
export function hashColour(key: string): [number, number, number] {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  return [h & 255, (h >>> 8) & 255, (h >>> 16) & 255];
}

/**
 * `image` with a colour hashed from `key` blended over every pixel, opaque and labelled.
 *
 * @example
 * ```ts
 * const answer = syntheticTint(source, `replace:${prompt}`);
 * ```
 */
export function syntheticTint(image: RasterImage, key: string): RasterImage {
  const colour = hashColour(key);
  const data = new Uint8Array(image.data);
  for (let i = 0; i < data.length; i += 4) {
    for (let c = 0; c < 3; c++) data[i + c] = Math.round(data[i + c]! * 0.6 + colour[c]! * 0.4);
    data[i + 3] = 255;
  }
  return labelSynthetic({ width: image.width, height: image.height, data });
}

/**
 * A diagonal gradient between two colours hashed from `key`, labelled.
 *
 * @example
 * ```ts
 * const painted = syntheticGradient(1024, 1024, `${prompt}#${seed}`);
 * ```
 */
export function syntheticGradient(width: number, height: number, key: string): RasterImage {
  const from = hashColour(key);
  const to = hashColour(`${key}:end`);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x / width + y / height) / 2;
      const at = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[at + c] = Math.round(from[c]! * (1 - t) + to[c]! * t);
      data[at + 3] = 255;
    }
  }
  return labelSynthetic({ width, height, data });
}

const LABEL = "SYNTHETIC";
/** 5×7 glyphs of the label's letters, one string of five bits per row. */
const GLYPHS: Record<string, string[]> = {
  S: ["01111", "10000", "10000", "01110", "00001", "00001", "11110"],
  Y: ["10001", "10001", "01010", "00100", "00100", "00100", "00100"],
  N: ["10001", "11001", "10101", "10011", "10001", "10001", "10001"],
  T: ["11111", "00100", "00100", "00100", "00100", "00100", "00100"],
  H: ["10001", "10001", "10001", "11111", "10001", "10001", "10001"],
  E: ["11111", "10000", "10000", "11110", "10000", "10000", "11111"],
  I: ["01110", "00100", "00100", "00100", "00100", "00100", "01110"],
  C: ["01110", "10001", "10000", "10000", "10000", "10001", "01110"],
};

/** Where the label sits and how big its cells are, for an image of this size. */
function syntheticLabelBox(width: number, height: number) {
  // One glyph cell per 128 px of the shorter side keeps the label readable at any size.
  const cell = Math.max(1, Math.floor(Math.min(width, height) / 128));
  const columns = LABEL.length * 6 + 1;
  return { cell, width: Math.min(width, columns * cell), height: Math.min(height, 9 * cell) };
}

/** Visits every pixel of the label's band with whether the label lights it. */
function forEachLabelPixel(width: number, height: number, visit: (at: number, lit: boolean) => void) {
  const box = syntheticLabelBox(width, height);
  for (let y = 0; y < box.height; y++) {
    const row = Math.floor(y / box.cell) - 1;
    for (let x = 0; x < box.width; x++) {
      const column = Math.floor(x / box.cell) - 1;
      const glyph = GLYPHS[LABEL[Math.floor(column / 6)] ?? ""];
      visit((y * width + x) * 4, column >= 0 && column % 6 < 5 && glyph?.[row]?.[column % 6] === "1");
    }
  }
}

/** Stamps white "SYNTHETIC" on a black band in the top-left corner, in place. */
function labelSynthetic(image: RasterImage): RasterImage {
  forEachLabelPixel(image.width, image.height, (at, lit) => {
    image.data.fill(lit ? 255 : 0, at, at + 3);
    image.data[at + 3] = 255;
  });
  return image;
}

/**
 * Whether `image` carries the label (within `tolerance` per channel, for answers that were
 * resized or re-encoded), e.g. for tests and for a client that wants to warn its user.
 *
 * @example
 * ```ts
 * if (hasSyntheticLabel(await decodeRaster(bytes))) console.warn("emulator output");
 * ```
 */
export function hasSyntheticLabel(image: RasterImage, tolerance = 24): boolean {
  let matches = true;
  forEachLabelPixel(image.width, image.height, (at, lit) => {
    const want = lit ? 255 : 0;
    for (let c = 0; c < 3; c++) if (Math.abs(image.data[at + c]! - want) > tolerance) matches = false;
  });
  return matches;
}
