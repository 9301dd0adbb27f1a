import { describe, expect, it } from "vitest";
import { EngineRefusedError, type RasterImage } from "@retouch/core";
import { createFastMarchingEngine } from "@retouch/engines";
import {
  differingBytes,
  eraseRequest,
  maskOf,
  meanColour,
  changedOutside,
  photoRaster,
  quietContext,
  unfilled,
  withHole,
} from "./fixtures";

const engine = createFastMarchingEngine();

describe("local-fill-fast: capabilities", () => {
  it("describes itself plainly: blends the surrounding colours, ignores the prompt", () => {
    // Prepare
    const caps = engine.capabilities;

    // Act
    const { description, ...rest } = caps;

    // Assess
    expect(rest).toEqual({
      id: "local-fill-fast",
      label: "Quick fill",
      operations: ["inpaint", "erase", "outpaint"],
      usesPrompt: false,
      usesNegativePrompt: false,
      usesSeed: true,
      maxResults: 4,
      maxPixels: 4_000_000,
      maxSide: 4096,
      minSide: 1,
    });
    expect(description).toMatch(/surrounding colours/);
    expect(description).toMatch(/does not use the prompt/);
  });
});

describe("local-fill-fast: filling", () => {
  it("fills every painted pixel and leaves every other pixel alone", async () => {
    // Prepare: a disc and a thin stroke over a real photo, pre-painted magenta
    const photo = await photoRaster("fruits.jpg");
    const mask = maskOf(
      photo,
      (x, y) => (x - 250) ** 2 + (y - 220) ** 2 < 40 ** 2 || Math.abs(y - x * 0.5 - 30) < 2,
    );
    const input = withHole(photo, mask);

    // Act
    const [out] = await engine.run(eraseRequest(input, mask), quietContext());

    // Assess
    expect([out!.width, out!.height, out!.data.length]).toEqual([512, 480, 512 * 480 * 4]);
    expect(unfilled(out!, mask.data)).toBe(0);
    expect(changedOutside(input, out!, mask.data)).toBe(0);
  });

  it("reconstructs a smooth gradient closely", async () => {
    // Prepare: linear ramps in each channel, a 30×30 hole in the middle
    const width = 128;
    const height = 96;
    const data = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++)
        data.set([20 + x * 1.5, 30 + y * 1.2, 40 + (x + y) / 2, 255], (y * width + x) * 4);
    }
    const truth = { width, height, data };
    const mask = maskOf(truth, (x, y) => x >= 50 && x < 80 && y >= 30 && y < 60);

    // Act
    const [out] = await engine.run(eraseRequest(withHole(truth, mask), mask), quietContext());

    // Assess: mean absolute error over the hole's RGB values
    let error = 0;
    let samples = 0;
    for (let i = 0; i < width * height; i++) {
      if (!mask.data[i]) continue;
      for (let c = 0; c < 3; c++) error += Math.abs(out!.data[i * 4 + c]! - truth.data[i * 4 + c]!);
      samples += 3;
    }
    expect(error / samples).toBeLessThan(6);
  });

  it.each([
    ["fruits.jpg", 230, 380, "orange flesh"],
    ["fruits.jpg", 400, 170, "lime peel"],
    ["fruits.jpg", 40, 150, "banana"],
    ["baboon.jpg", 244, 180, "the nose"],
    ["baboon.jpg", 380, 250, "the cheek"],
  ])("gives a hole in %s (%s, %s: %s) the colour of its surroundings", async (name, left, top) => {
    // Prepare: a 24×24 hole pre-painted blue, and the ring of 6 px around it
    const photo = await photoRaster(name);
    const inHole = (x: number, y: number) => x >= left && x < left + 24 && y >= top && y < top + 24;
    const inRing = (x: number, y: number) =>
      x >= left - 6 && x < left + 30 && y >= top - 6 && y < top + 30 && !inHole(x, y);
    const mask = maskOf(photo, inHole);
    const at = (i: number): [number, number] => [i % photo.width, Math.floor(i / photo.width)];

    // Act
    const [out] = await engine.run(
      eraseRequest(withHole(photo, mask, [0, 0, 255, 255]), mask),
      quietContext(),
    );

    // Assess
    const hole = meanColour(out!, (i) => inHole(...at(i)));
    const ring = meanColour(photo, (i) => inRing(...at(i)));
    hole.forEach((value, c) => expect(Math.abs(value - ring[c]!)).toBeLessThan(15));
  });

  it("never reads the old values of the painted pixels", async () => {
    // Prepare: the same hole pre-painted two different ways
    const photo = await photoRaster("starry_night.jpg", 300, 240);
    const mask = maskOf(photo, (x, y) => (x - 150) ** 2 + (y - 120) ** 2 < 50 ** 2);

    // Act
    const [black] = await engine.run(eraseRequest(withHole(photo, mask, [0, 0, 0, 0]), mask), quietContext());
    const [white] = await engine.run(
      eraseRequest(withHole(photo, mask, [255, 255, 255, 255]), mask),
      quietContext(),
    );

    // Assess
    expect(differingBytes(black!.data, white!.data)).toBe(0);
  });

  it("fills a hole touching the image border", async () => {
    // Prepare: the top-left corner and the whole right edge column band
    const photo = await photoRaster("baboon.jpg");
    const mask = maskOf(photo, (x, y) => (x < 60 && y < 40) || x >= 500);
    const input = withHole(photo, mask);

    // Act
    const [out] = await engine.run(eraseRequest(input, mask), quietContext());

    // Assess
    expect(unfilled(out!, mask.data)).toBe(0);
    expect(changedOutside(input, out!, mask.data)).toBe(0);
  });

  it("fills large holes completely, like outpaint margins", async () => {
    // Prepare: only a 12-px strip on the left is known
    const photo = await photoRaster("building.jpg", 220, 150);
    const mask = maskOf(photo, (x) => x >= 12);
    const input = withHole(photo, mask);

    // Act
    const [out] = await engine.run({ ...eraseRequest(input, mask), operation: "outpaint" }, quietContext());

    // Assess: the far right column continues the strip's colours row by row
    expect(unfilled(out!, mask.data)).toBe(0);
    const row = 75 * 220 * 4;
    expect(Math.abs(out!.data[row + 219 * 4]! - input.data[row + 11 * 4]!)).toBeLessThan(40);
  });

  it("invents no colours beyond its surroundings' range, even far into wide margins", async () => {
    // Prepare: a patterned 240×120 crop surrounded by 160 px of margin on every side
    const crop = await photoRaster("aloeL.jpg", 240, 120);
    const width = 560;
    const height = 440;
    const data = new Uint8Array(width * height * 4);
    for (let y = 0; y < 120; y++)
      data.set(crop.data.subarray(y * 960, (y + 1) * 960), ((y + 160) * width + 160) * 4);
    const canvas = { width, height, data };
    const mask = maskOf(canvas, (x, y) => x < 160 || x >= 400 || y < 160 || y >= 280);
    const low = [255, 255, 255];
    const high = [0, 0, 0];
    for (let p = 0; p < crop.data.length; p += 4) {
      for (let c = 0; c < 3; c++) {
        low[c] = Math.min(low[c]!, crop.data[p + c]!);
        high[c] = Math.max(high[c]!, crop.data[p + c]!);
      }
    }

    // Act
    const [out] = await engine.run({ ...eraseRequest(canvas, mask), operation: "outpaint" }, quietContext());

    // Assess: only the grain may step outside the known range, by a few levels
    let outside = 0;
    for (let i = 0; i < width * height; i++) {
      for (let c = 0; c < 3; c++) {
        const value = out!.data[i * 4 + c]!;
        if (value < low[c]! - 12 || value > high[c]! + 12) outside++;
      }
    }
    expect(outside).toBe(0);
  });

  it("keeps a grey photo grey", async () => {
    // Prepare: basketball1.png is greyscale; R = G = B everywhere
    const photo = await photoRaster("basketball1.png", 320, 240);
    const mask = maskOf(photo, (x, y) => (x - 160) ** 2 + (y - 120) ** 2 < 30 ** 2);

    // Act
    const results = await engine.run(eraseRequest(withHole(photo, mask), mask, 2), quietContext());

    // Assess
    for (const out of results) {
      let coloured = 0;
      for (let p = 0; p < out.data.length; p += 4)
        if (out.data[p] !== out.data[p + 1] || out.data[p] !== out.data[p + 2]) coloured++;
      expect(coloured).toBe(0);
      expect(unfilled(out, mask.data)).toBe(0);
    }
  });

  it("fills the alpha channel from its surroundings too", async () => {
    // Prepare: a half-transparent photo
    const photo = await photoRaster("butterfly.png");
    for (let p = 3; p < photo.data.length; p += 4) photo.data[p] = 128;
    const mask = maskOf(photo, (x, y) => x >= 100 && x < 140 && y >= 100 && y < 140);

    // Act
    const [out] = await engine.run(
      eraseRequest(withHole(photo, mask, [255, 0, 255, 0]), mask),
      quietContext(),
    );

    // Assess
    for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) expect(out!.data[i * 4 + 3]).toBe(128);
  });
});

describe("local-fill-fast: variants and seeds", () => {
  it("gives identical bytes for the same seed and different ones for another seed", async () => {
    // Prepare
    const photo = await photoRaster("messi5.jpg");
    const mask = maskOf(photo, (x, y) => x >= 200 && x < 260 && y >= 100 && y < 160);

    // Act
    const [a] = await engine.run(eraseRequest(photo, mask, 1, 42), quietContext());
    const [b] = await engine.run(eraseRequest(photo, mask, 1, 42), quietContext());
    const [c] = await engine.run(eraseRequest(photo, mask, 1, 43), quietContext());

    // Assess
    expect(differingBytes(a!.data, b!.data)).toBe(0);
    expect(differingBytes(a!.data, c!.data)).toBeGreaterThan(1000);
  });

  it("returns count different, plausible variants; variant i is seed + i", async () => {
    // Prepare
    const photo = await photoRaster("baboon.jpg");
    const mask = maskOf(photo, (x, y) => (x - 256) ** 2 + (y - 300) ** 2 < 35 ** 2);

    // Act
    const variants = await engine.run(eraseRequest(photo, mask, 3, 7), quietContext());
    const [second] = await engine.run(eraseRequest(photo, mask, 1, 8), quietContext());

    // Assess: pairwise different inside the hole, identical outside, same mean colour
    expect(variants).toHaveLength(3);
    const [v0, v1, v2] = variants as [RasterImage, RasterImage, RasterImage];
    for (const [x, y] of [
      [v0, v1],
      [v1, v2],
      [v0, v2],
    ] as const) {
      expect(differingBytes(x.data, y.data)).toBeGreaterThan(1000);
      expect(changedOutside(x, y, mask.data)).toBe(0);
    }
    const means = variants.map((v) => meanColour(v, (i) => mask.data[i] !== 0));
    means.forEach((m) => m.forEach((value, c) => expect(Math.abs(value - means[0]![c]!)).toBeLessThan(3)));
    expect(differingBytes(v1.data, second!.data)).toBe(0);
  });
});

describe("local-fill-fast: progress, cooperation and refusals", () => {
  it("reports monotonic progress that reaches 1", async () => {
    // Prepare: a hole of about 60 000 pixels, so progress is reported along the way
    const photo = await photoRaster("leuvenA.jpg", 400, 300);
    const mask = maskOf(photo, (x, y) => x >= 50 && x < 350 && y >= 50 && y < 250);
    const progress: number[] = [];

    // Act
    await engine.run(eraseRequest(photo, mask), quietContext(progress));

    // Assess
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(1);
    progress.slice(1).forEach((f, i) => expect(f).toBeGreaterThanOrEqual(progress[i]!));
    expect(progress.every((f) => f >= 0 && f <= 1)).toBe(true);
  });

  it("stops promptly with the signal's reason when aborted mid-run", async () => {
    // Prepare: a large hole; abort at the first progress report
    const photo = await photoRaster("aloeL.jpg", 800, 700);
    const mask = maskOf(photo, (x, y) => x >= 20 && x < 780 && y >= 20 && y < 680);
    const controller = new AbortController();
    const reason = new Error("canceled by the user");
    let abortedAt = 0;
    const context = {
      signal: controller.signal,
      onProgress: (f: number) => {
        if (f > 0 && f < 1 && !abortedAt) {
          abortedAt = performance.now();
          controller.abort(reason);
        }
      },
    };

    // Act
    const outcome = await engine.run(eraseRequest(photo, mask), context).then(
      () => "resolved",
      (error: unknown) => error,
    );

    // Assess
    expect(outcome).toBe(reason);
    expect(abortedAt).toBeGreaterThan(0);
    expect(performance.now() - abortedAt).toBeLessThan(250);
  });

  it("yields to the event loop while it works", async () => {
    // Prepare: a timer that should fire during the fill
    const photo = await photoRaster("leuvenA.jpg", 400, 300);
    const mask = maskOf(photo, (x, y) => x >= 20 && x < 380 && y >= 20 && y < 280);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);

    // Act
    await engine.run(eraseRequest(photo, mask), quietContext());
    clearInterval(timer);

    // Assess
    expect(ticks).toBeGreaterThan(1);
  });

  it("refuses what it cannot do", async () => {
    // Prepare
    const photo = await photoRaster("butterfly.png");
    const all = maskOf(photo, () => true);
    const some = maskOf(photo, (x) => x < 10);

    // Act
    const outcomes = await Promise.allSettled([
      engine.run(eraseRequest(photo, all), quietContext()),
      engine.run({ ...eraseRequest(photo, some), operation: "generate" }, quietContext()),
      engine.run(eraseRequest(photo, some, 5), quietContext()),
      engine.run({ ...eraseRequest(photo, some), mask: null }, quietContext()),
    ]);

    // Assess
    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected");
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(EngineRefusedError);
    }
    expect((outcomes[0] as PromiseRejectedResult).reason.message).toMatch(/covers the whole image/);
  });
});
