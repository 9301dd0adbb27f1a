import { monitorEventLoopDelay } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import type { Margins, RasterImage } from "@retouch/core";
import { createFastMarchingEngine, createPatchMatchEngine } from "@retouch/engines";
import { cropPixels, runEnginePipeline } from "@retouch/imaging";
import {
  changedOutside,
  differingBytes,
  eraseRequest,
  maskOf,
  photoRaster,
  quietContext,
  unfilled,
  withHole,
} from "./fixtures";

const engine = createPatchMatchEngine();

/** `source` grown by `margins` through the pipeline, as the API's outpaint does. */
async function outpaint(source: RasterImage, margins: Margins, seed: number): Promise<RasterImage> {
  const [grown] = await runEnginePipeline({
    engine,
    operation: "outpaint",
    source,
    mask: null,
    margins,
    prompt: null,
    negativePrompt: null,
    count: 1,
    seed,
    options: {},
    signal: new AbortController().signal,
    onProgress: () => {},
  });
  return grown!;
}

/** Mean gradient magnitude (green channel) over the pixels where `where(i)` holds. */
function meanGradient(image: RasterImage, where: (i: number) => boolean): number {
  const { width, height, data } = image;
  let sum = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!where(i)) continue;
      const gx = data[(i + 1) * 4 + 1]! - data[(i - 1) * 4 + 1]!;
      const gy = data[(i + width) * 4 + 1]! - data[(i - width) * 4 + 1]!;
      sum += Math.hypot(gx, gy);
      count++;
    }
  }
  return sum / count;
}

describe("content-aware fill (PatchMatch)", () => {
  it("fills every painted pixel with texture as detailed as its surroundings", async () => {
    // Prepare
    const photo = await photoRaster("baboon.jpg", 256, 256);
    const inHole = (x: number, y: number) => x >= 90 && x < 170 && y >= 150 && y < 230;
    const nearHole = (x: number, y: number) => !inHole(x, y) && x >= 74 && x < 186 && y >= 134 && y < 246;
    const mask = maskOf(photo, inHole);
    const ring = maskOf(photo, nearHole);
    const input = withHole(photo, mask);

    // Act
    const [ours] = await engine.run(eraseRequest(input, mask), quietContext());
    const [telea] = await createFastMarchingEngine().run(eraseRequest(input, mask), quietContext());

    // Assess
    expect(unfilled(ours!, mask.data)).toBe(0);
    expect(changedOutside(ours!, input, mask.data)).toBe(0);
    const sharpness = (image: RasterImage) =>
      meanGradient(image, (i) => mask.data[i] === 255) / meanGradient(image, (i) => ring.data[i] === 255);
    expect(sharpness(ours!)).toBeGreaterThan(0.75);
    expect(sharpness(ours!)).toBeGreaterThan(sharpness(telea!) + 0.1);
  });

  it("fills holes touching the border and many holes at once", async () => {
    // Prepare
    const photo = await photoRaster("fruits.jpg", 200, 160);
    const mask = maskOf(
      photo,
      (x, y) =>
        x < 20 ||
        (y > 140 && x > 150) ||
        (x - 100) ** 2 + (y - 60) ** 2 < 120 ||
        (x % 50 === 25 && y > 20 && y < 120),
    );
    const input = withHole(photo, mask);

    // Act
    const [filled] = await engine.run(eraseRequest(input, mask), quietContext());

    // Assess
    expect(unfilled(filled!, mask.data)).toBe(0);
    expect(changedOutside(filled!, input, mask.data)).toBe(0);
  });

  it("fills a hole of 40 % of the photo with texture, not a smear", async () => {
    // Prepare: a centred box covering 40 % of a textured photo.
    const photo = await photoRaster("plant.jpg", 240, 240);
    const side = Math.round(240 * Math.sqrt(0.4));
    const start = (240 - side) / 2;
    const inHole = (x: number, y: number) => x >= start && x < start + side && y >= start && y < start + side;
    const mask = maskOf(photo, inHole);
    const input = withHole(photo, mask);

    // Act
    const [filled] = await engine.run(eraseRequest(input, mask), quietContext());

    // Assess
    expect(unfilled(filled!, mask.data)).toBe(0);
    expect(changedOutside(filled!, input, mask.data)).toBe(0);
    const inside = meanGradient(filled!, (i) => mask.data[i] === 255);
    const outside = meanGradient(filled!, (i) => mask.data[i] === 0);
    expect(inside / outside).toBeGreaterThan(0.6);
  });

  it("fills tiny images, keeps grey photos grey and fills alpha from the surroundings", async () => {
    // Prepare
    const tiny: RasterImage = { width: 3, height: 2, data: new Uint8Array(24).fill(200) };
    const tinyMask = maskOf(tiny, (x, y) => x === 1 && y === 0);
    const grey = await photoRaster("board.jpg", 120, 120);
    for (let i = 0; i < grey.data.length; i += 4) {
      const v = grey.data[i]!;
      grey.data[i + 1] = v;
      grey.data[i + 2] = v;
      grey.data[i + 3] = 128;
    }
    const greyMask = maskOf(grey, (x, y) => x > 40 && x < 80 && y > 40 && y < 80);

    // Act
    const [tinyFilled] = await engine.run(eraseRequest(withHole(tiny, tinyMask), tinyMask), quietContext());
    const [greyFilled] = await engine.run(eraseRequest(withHole(grey, greyMask), greyMask), quietContext());

    // Assess
    expect([...tinyFilled!.data.subarray(4, 8)]).toEqual([200, 200, 200, 200]);
    for (let i = 0; i < greyMask.data.length; i++) {
      if (!greyMask.data[i]) continue;
      const [r, g, b, a] = greyFilled!.data.subarray(i * 4, i * 4 + 4);
      expect(r === g && g === b && a === 128).toBe(true);
    }
  });

  it("keeps every alpha value outside the hole, transparent areas included", async () => {
    // Prepare: alpha falls from 255 at the top to 0 at the bottom, with a fully transparent corner
    const photo = await photoRaster("fruits.jpg", 160, 120);
    for (let y = 0; y < photo.height; y++)
      for (let x = 0; x < photo.width; x++)
        photo.data[(y * photo.width + x) * 4 + 3] = x < 30 && y < 30 ? 0 : 255 - Math.round((y * 255) / 119);
    const mask = maskOf(photo, (x, y) => x >= 20 && x < 70 && y >= 40 && y < 80);
    const input = withHole(photo, mask);

    // Act
    const [filled] = await engine.run(eraseRequest(input, mask), quietContext());

    // Assess: outside unchanged (alpha too); inside, alpha follows the gradient it was taken from
    expect(changedOutside(filled!, input, mask.data)).toBe(0);
    expect(unfilled(filled!, mask.data)).toBe(0);
    const alphaInRow = (y: number) => {
      let sum = 0;
      for (let x = 20; x < 70; x++) sum += filled!.data[(y * photo.width + x) * 4 + 3]!;
      return sum / 50;
    };
    expect(alphaInRow(42)).toBeGreaterThan(alphaInRow(78));
  });

  it("gives identical bytes for the same seed and different variants for count > 1", async () => {
    // Prepare
    const photo = await photoRaster("building.jpg", 160, 160);
    const mask = maskOf(photo, (x, y) => x > 50 && x < 110 && y > 50 && y < 110);

    // Act
    const [first, second] = await engine.run(eraseRequest(photo, mask, 2, 9), quietContext());
    const [again] = await engine.run(eraseRequest(photo, mask, 1, 9), quietContext());

    // Assess
    expect(differingBytes(first!.data, again!.data)).toBe(0);
    expect(differingBytes(first!.data, second!.data)).toBeGreaterThan(1000);
  });

  it("reports progress up to 1 and keeps the event loop free while it works", async () => {
    // Prepare
    const photo = await photoRaster("baboon.jpg", 400, 400);
    const mask = maskOf(photo, (x, y) => x > 100 && x < 300 && y > 120 && y < 260);
    const progress: number[] = [];
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();

    // Act
    await engine.run(eraseRequest(photo, mask), quietContext(progress));
    delay.disable();

    // Assess: no turn of the event loop waited long on the fill (posting the photo is the longest step)
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // Reported per EM round, not once per pyramid level: the bar moves
    // while the finest level, most of the work, runs.
    expect(new Set(progress).size).toBeGreaterThan(8);
    expect(delay.max / 1e6).toBeLessThan(100);
  });

  it("stops within a second of being canceled, with the signal's reason", async () => {
    // Prepare
    const photo = await photoRaster("baboon.jpg");
    const mask = maskOf(photo, (x, y) => x > 50 && y > 50 && x < photo.width - 50 && y < photo.height - 50);
    const controller = new AbortController();
    const reason = new Error("canceled by the user");
    setTimeout(() => controller.abort(reason), 200);
    const started = performance.now();

    // Act
    const outcome = engine.run(eraseRequest(photo, mask, 2), {
      signal: controller.signal,
      onProgress: () => {},
    });

    // Assess: rejected within a second of the abort, and the fill threads no longer use the CPU
    await expect(outcome).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(1200);
    const cpuBefore = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cpu = process.cpuUsage(cpuBefore);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(100); // ms of CPU in 300 ms, every thread counted
  });

  it("outpaints: the new margins are synthesised and the original pixels kept", async () => {
    // Prepare
    const photo = await photoRaster("fruits.jpg", 160, 120);

    // Act
    const wider = await outpaint(photo, { top: 0, right: 40, bottom: 20, left: 40 }, 3);

    // Assess
    expect([wider.width, wider.height]).toEqual([240, 140]);
    for (let y = 0; y < 120; y++) {
      const row = wider.data.subarray((y * 240 + 40) * 4, (y * 240 + 200) * 4);
      expect(differingBytes(row, photo.data.subarray(y * 160 * 4, (y + 1) * 160 * 4))).toBe(0);
    }
    const sharpMargin = (() => {
      let sum = 0;
      for (let y = 10; y < 110; y++) {
        for (let x = 1; x < 30; x++)
          sum += Math.abs(wider.data[(y * 240 + x + 1) * 4]! - wider.data[(y * 240 + x) * 4]!);
      }
      return sum / (100 * 29);
    })();
    expect(sharpMargin).toBeGreaterThan(2);
  });

  it("outpaints a photo's margins from what lies along its edges, not by copying its subject", async () => {
    // Prepare: the footballer's centre 240² of a 384² view, to be grown back by 72 px a side.
    // His blue shirt stripes fill a tenth of it and touch no edge; the crowd around is dark.
    const view = await photoRaster("messi5.jpg", 384, 384);
    const data = cropPixels(view.data, 384, { left: 72, top: 72, width: 240, height: 240 }, 4);
    const shirtBlue = (image: RasterImage, i: number) => {
      const [r, g, b] = [image.data[4 * i]!, image.data[4 * i + 1]!, image.data[4 * i + 2]!];
      return b > r + 50 && b > g + 30;
    };

    // Act
    const grown = await outpaint(
      { width: 240, height: 240, data },
      { top: 72, right: 72, bottom: 72, left: 72 },
      1,
    );

    // Assess: copies of the shirt covered 13–14 % of the margins before the fill sampled the
    // photo's edges; now hardly any margin pixel is shirt blue.
    let inMargins = 0;
    let blueInMargins = 0;
    let blueInPhoto = 0;
    for (let i = 0; i < 384 * 384; i++) {
      const x = i % 384;
      const y = Math.floor(i / 384);
      const margin = Math.min(x, y, 383 - x, 383 - y) < 72;
      if (margin) inMargins++;
      if (shirtBlue(grown, i) && margin) blueInMargins++;
      else if (shirtBlue(grown, i)) blueInPhoto++;
    }
    expect(blueInPhoto / (240 * 240)).toBeGreaterThan(0.05);
    expect(blueInMargins / inMargins).toBeLessThan(0.03);
  });
});
