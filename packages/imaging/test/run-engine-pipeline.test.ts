import sharp from "sharp";
import { describe, expect, it } from "vitest";
import {
  EngineRefusedError,
  type HttpError,
  ValidationError,
  type BinaryMask,
  type EngineCapabilities,
  type EngineRequest,
  type ImageEngine,
  type Operation,
  type RasterImage,
} from "@retouch/core";
import { decodeRaster, runEnginePipeline, type PipelineInput } from "@retouch/imaging";
import { photo, pixelAt, rejectionOf } from "./photos";

const RED = [255, 0, 0, 255];

/** A test double of the ImageEngine port: records each request and answers solid red images. */
function redEngine(overrides: Partial<EngineCapabilities> = {}) {
  const requests: EngineRequest[] = [];
  const engine: ImageEngine = {
    capabilities: {
      id: "red",
      label: "Red",
      description: "Paints the mask red",
      operations: ["inpaint", "erase", "outpaint", "remove-background"],
      usesPrompt: false,
      usesNegativePrompt: false,
      usesSeed: false,
      maxResults: 4,
      maxPixels: 1_000_000,
      maxSide: 4096,
      minSide: 1,
      ...overrides,
    },
    async run(request, context) {
      requests.push(request);
      context.onProgress(0.5);
      const image = request.image!;
      return Array.from({ length: request.count }, () => {
        const data = new Uint8Array(image.width * image.height * 4);
        for (let p = 0; p < data.length; p += 4) data.set(RED, p);
        return { width: image.width, height: image.height, data };
      });
    },
  };
  return { engine, requests };
}

function input(engine: ImageEngine, overrides: Partial<PipelineInput>): PipelineInput {
  return {
    engine,
    operation: "inpaint",
    source: null,
    mask: null,
    margins: null,
    prompt: null,
    negativePrompt: null,
    count: 1,
    seed: 1,
    options: {},
    signal: new AbortController().signal,
    onProgress: () => {},
    ...overrides,
  };
}

/** A mask of `image`'s size painted where `paint(x, y)` holds. */
function maskOf(image: RasterImage, paint: (x: number, y: number) => boolean): BinaryMask {
  const data = new Uint8Array(image.width * image.height);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) data[y * image.width + x] = paint(x, y) ? 255 : 0;
  }
  return { width: image.width, height: image.height, data };
}

/** Counts pixels outside the mask that differ from the source, and mask pixels that are not red enough. */
function audit(source: RasterImage, result: RasterImage, mask: BinaryMask) {
  let changedOutside = 0;
  let notRedInside = 0;
  for (let i = 0; i < mask.data.length; i++) {
    const p = i * 4;
    if (mask.data[i] === 0) {
      for (let c = 0; c < 4; c++) if (source.data[p + c] !== result.data[p + c]) changedOutside++;
    } else if (result.data[p]! < 250 || result.data[p + 1]! > 5 || result.data[p + 2]! > 5) {
      notRedInside++;
    }
  }
  return { changedOutside, notRedInside };
}

describe("runEnginePipeline: scaling and compositing", () => {
  it("scales down to the engine's limits and keeps every pixel outside the mask bit-identical", async () => {
    // Prepare: a 512×480 photo, an engine limited to 128 px; a disc plus a one-pixel line
    const source = await decodeRaster(await photo("fruits.jpg"));
    const mask = maskOf(source, (x, y) => (x - 300) ** 2 + (y - 200) ** 2 < 60 ** 2 || y === 400);
    const { engine, requests } = redEngine({ maxSide: 128 });

    // Act
    const results = await runEnginePipeline(input(engine, { source, mask, count: 2 }));

    // Assess
    const sent = requests[0]!;
    expect([sent.image!.width, sent.image!.height, sent.mask!.width, sent.mask!.height]).toEqual([
      128, 120, 128, 120,
    ]);
    expect(new Set(sent.mask!.data)).toEqual(new Set([0, 255]));
    // The one-pixel line at y = 400 survives the 4× reduction: row 100 of the working mask is painted.
    expect(sent.mask!.data.subarray(100 * 128, 101 * 128).every((v) => v === 255)).toBe(true);
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect([result.width, result.height]).toEqual([512, 480]);
      expect(audit(source, result, mask)).toEqual({ changedOutside: 0, notRedInside: 0 });
    }
  });

  it("scales up to the engine's minimum side and back", async () => {
    // Prepare: a 64×60 photo for an engine that needs at least 256 px
    const small = await sharp(await photo("baboon.jpg"))
      .resize(64, 60, { fit: "fill" })
      .png()
      .toBuffer();
    const source = await decodeRaster(small);
    const mask = maskOf(source, (x, y) => x >= 20 && x < 40 && y >= 20 && y < 40);
    const { engine, requests } = redEngine({ minSide: 256 });

    // Act
    const [result] = await runEnginePipeline(input(engine, { operation: "erase", source, mask }));

    // Assess
    expect([requests[0]!.image!.width, requests[0]!.image!.height]).toEqual([273, 256]);
    expect([result!.width, result!.height]).toEqual([64, 60]);
    expect(audit(source, result!, mask)).toEqual({ changedOutside: 0, notRedInside: 0 });
  });

  it("outpaints on a canvas grown by the margins, edges repeated, the original region untouched", async () => {
    // Prepare
    const source = await decodeRaster(await photo("butterfly.png"));
    const margins = { top: 10, right: 20, bottom: 0, left: 5 };
    const { engine, requests } = redEngine();

    // Act
    const [result] = await runEnginePipeline(input(engine, { operation: "outpaint", source, margins }));

    // Assess: 256 + 5 + 20 wide, 256 + 10 high
    const canvas = requests[0]!.image!;
    const sentMask = requests[0]!.mask!;
    expect([canvas.width, canvas.height, result!.width, result!.height]).toEqual([281, 266, 281, 266]);
    expect(pixelAt(canvas, 0, 0)).toEqual(pixelAt(source, 0, 0));
    expect(pixelAt(canvas, 280, 100)).toEqual(pixelAt(source, 255, 90));
    expect([sentMask.data[0], sentMask.data[10 * 281 + 5], sentMask.data[10 * 281 + 4]]).toEqual([
      255, 0, 255,
    ]);
    let changed = 0;
    for (let y = 0; y < 256; y++) {
      for (let x = 0; x < 256; x++) {
        if (pixelAt(result!, x + 5, y + 10).join() !== pixelAt(source, x, y).join()) changed++;
      }
    }
    expect(changed).toBe(0);
    expect(pixelAt(result!, 0, 0)).toEqual(RED);
    expect(pixelAt(result!, 280, 265)).toEqual(RED);
  });

  it("returns results of operations without a mask as they are, at full size", async () => {
    // Prepare
    const source = await decodeRaster(await photo("messi5.jpg"));
    const { engine } = redEngine({ maxSide: 200 });

    // Act
    const [result] = await runEnginePipeline(input(engine, { operation: "remove-background", source }));

    // Assess
    expect([result!.width, result!.height]).toEqual([548, 342]);
    expect(pixelAt(result!, 300, 200)).toEqual(RED);
  });
});

describe("runEnginePipeline: refusals", () => {
  const refusals: [string, Partial<PipelineInput>, Partial<EngineCapabilities>, typeof HttpError, RegExp][] =
    [
      [
        "an operation the engine lacks",
        { operation: "generate" as Operation },
        {},
        EngineRefusedError,
        /does not support 'generate'/,
      ],
      [
        "more results than it gives",
        { count: 5 },
        {},
        EngineRefusedError,
        /at most 4 results per edit; 5 were asked for/,
      ],
      ["an inpaint without a mask", { mask: null }, {}, ValidationError, /needs a mask/],
      [
        "an empty mask",
        { mask: { width: 16, height: 16, data: new Uint8Array(256) } },
        {},
        ValidationError,
        /^The mask is empty: paint the area to change$/,
      ],
      [
        "a mask of another size",
        { mask: { width: 8, height: 8, data: new Uint8Array(64).fill(255) } },
        {},
        ValidationError,
        /^The mask is 8×8 but the image is 16×16/,
      ],
      [
        "an outpaint without margins",
        { operation: "outpaint", mask: null },
        {},
        ValidationError,
        /outpaint operation needs margins/,
      ],
      [
        "a shape no scale can fit",
        {},
        { minSide: 16, maxSide: 16, maxPixels: 100 },
        EngineRefusedError,
        /cannot work on a 16×16 image/,
      ],
    ];

  it.each(refusals)("refuses %s", async (_name, overrides, caps, type, message) => {
    // Prepare
    const source = { width: 16, height: 16, data: new Uint8Array(16 * 16 * 4).fill(128) };
    const mask = { width: 16, height: 16, data: new Uint8Array(256).fill(255) };
    const { engine, requests } = redEngine(caps);

    // Act
    const error = await rejectionOf(runEnginePipeline(input(engine, { source, mask, ...overrides })));

    // Assess
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    expect(requests).toHaveLength(0);
  });

  it("rejects an engine answer of the wrong count or size with a clear message", async () => {
    // Prepare
    const source = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 4) };
    const mask = { width: 64, height: 64, data: new Uint8Array(64 * 64).fill(255) };
    const wrong = { width: 10, height: 10, data: new Uint8Array(400) };
    const { engine } = redEngine({ id: "local-fill" });
    const broken: ImageEngine = { capabilities: engine.capabilities, run: async () => [wrong, wrong] };

    // Act
    const error = await rejectionOf(runEnginePipeline(input(broken, { source, mask })));

    // Assess
    expect((error as Error).message).toBe(
      "Engine local-fill returned 2 images of 10×10; expected 1 of 64×64",
    );
  });
});

describe("runEnginePipeline: progress and abort", () => {
  it("maps engine progress into 0.05..0.95 and ends at 1", async () => {
    // Prepare
    const source = { width: 32, height: 32, data: new Uint8Array(32 * 32 * 4) };
    const mask = { width: 32, height: 32, data: new Uint8Array(32 * 32).fill(255, 0, 100) };
    const { engine } = redEngine();
    const seen: number[] = [];

    // Act
    await runEnginePipeline(input(engine, { source, mask, onProgress: (f) => seen.push(f) }));

    // Assess: the engine reported 0.5
    expect(seen).toHaveLength(4);
    [0.05, 0.5, 0.95, 1].forEach((expected, i) => expect(seen[i]).toBeCloseTo(expected, 10));
  });

  it("throws the signal's reason and never calls the engine once aborted", async () => {
    // Prepare
    const source = { width: 32, height: 32, data: new Uint8Array(32 * 32 * 4) };
    const mask = { width: 32, height: 32, data: new Uint8Array(32 * 32).fill(255) };
    const { engine, requests } = redEngine();
    const controller = new AbortController();
    const reason = new Error("user canceled");
    controller.abort(reason);

    // Act
    const error = await rejectionOf(
      runEnginePipeline(input(engine, { source, mask, signal: controller.signal })),
    );

    // Assess
    expect(error).toBe(reason);
    expect(requests).toHaveLength(0);
  });
});
