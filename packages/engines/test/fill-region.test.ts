import { describe, expect, it } from "vitest";
import { cropPixels } from "@retouch/imaging";
import { fillRegion, pasteRegion } from "../src/patch-match/fill-region";

/** A `width`×`height` hole mask with the rectangle set. */
function holeWith(width: number, height: number, rect: { x: number; y: number; w: number; h: number }) {
  const hole = new Uint8Array(width * height);
  for (let y = rect.y; y < rect.y + rect.h; y++)
    hole.fill(1, y * width + rect.x, y * width + rect.x + rect.w);
  return hole;
}

describe("fillRegion", () => {
  it("grows a small hole's box by the minimum context on every side", () => {
    // Prepare
    const hole = holeWith(4000, 3000, { x: 1990, y: 1495, w: 20, h: 10 });
    // Act
    const region = fillRegion(4000, 3000, hole);
    // Assess
    expect(region).toEqual({ left: 1990 - 96, top: 1495 - 96, width: 20 + 192, height: 10 + 192 });
  });

  it("grows a larger hole's box by its longest side, clamped to the image", () => {
    // Prepare: 300×200 near the top-left corner
    const hole = holeWith(2000, 1000, { x: 50, y: 20, w: 300, h: 200 });
    // Act
    const region = fillRegion(2000, 1000, hole);
    // Assess
    expect(region).toEqual({ left: 0, top: 0, width: 50 + 300 + 300, height: 20 + 200 + 300 });
  });

  it("covers every hole pixel when there are several holes, and answers null for none", () => {
    // Prepare
    const hole = holeWith(1000, 1000, { x: 100, y: 100, w: 5, h: 5 });
    hole[900 * 1000 + 850] = 1;
    // Act
    const region = fillRegion(1000, 1000, hole)!;
    // Assess
    expect(region.left).toBeLessThanOrEqual(100);
    expect(region.top).toBeLessThanOrEqual(100);
    expect(region.left + region.width).toBeGreaterThan(850);
    expect(region.top + region.height).toBeGreaterThan(900);
    expect(fillRegion(10, 10, new Uint8Array(100))).toBeNull();
  });
});

describe("cropPixels and pasteRegion", () => {
  it("crop out and paste back the same pixels, leaving the rest of the image as it was", () => {
    // Prepare
    const width = 7;
    const height = 5;
    const image = Uint8Array.from({ length: width * height * 4 }, (_, i) => i % 251);
    const region = { left: 2, top: 1, width: 3, height: 2 };
    // Act
    const crop = cropPixels(image, width, region, 4);
    const changed = crop.map((value) => 255 - value);
    const pasted = pasteRegion(image, width, region, changed);
    const back = cropPixels(pasted, width, region, 4);
    // Assess
    expect([...crop.subarray(0, 4)]).toEqual([
      ...image.subarray((1 * width + 2) * 4, (1 * width + 2) * 4 + 4),
    ]);
    expect(back).toEqual(changed);
    let differing = 0;
    for (let i = 0; i < image.length; i++) if (image[i] !== pasted[i]) differing++;
    expect(differing).toBe(3 * 2 * 4);
    expect(pasted).not.toBe(image);
  });
});
