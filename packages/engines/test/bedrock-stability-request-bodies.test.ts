import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { EngineRefusedError, type EngineRequest, type RasterImage } from "@retouch/core";
import {
  ERASE_MODEL_ID,
  EraseBodySchema,
  INPAINT_MODEL_ID,
  InpaintBodySchema,
  OUTPAINT_MODEL_ID,
  OutpaintBodySchema,
  REMOVE_BACKGROUND_MODEL_ID,
  RemoveBackgroundBodySchema,
  SEARCH_RECOLOR_MODEL_ID,
  SEARCH_REPLACE_MODEL_ID,
  SearchRecolorBodySchema,
  SearchReplaceBodySchema,
  createEmulatorClient,
  startBedrockEmulator,
  type BedrockEmulator,
} from "@retouch/bedrock-emulator";
import { decodeRaster, runEnginePipeline } from "@retouch/imaging";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBedrockStabilityEngine } from "../src";
import { eraseRequest, maskOf, photoRaster, quietContext } from "./fixtures";

let emulator: BedrockEmulator;
let client: BedrockRuntimeClient;
/** What the SDK sent, read by a middleware of the real client: model id and parsed body. */
let sent: { modelId: string; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  emulator = await startBedrockEmulator();
  client = createEmulatorClient(emulator);
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { modelId: string; body: string };
      sent.push({ modelId: input.modelId, body: JSON.parse(input.body) as Record<string, unknown> });
      return next(args);
    },
    { step: "initialize", name: "recordStabilityRequests" },
  );
});

beforeEach(() => {
  sent = [];
});

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

const engine = () => createBedrockStabilityEngine({ client, retry: { maxAttempts: 1 } });

async function decodeBase64Png(value: unknown): Promise<RasterImage> {
  return decodeRaster(new Uint8Array(Buffer.from(String(value), "base64")));
}

/** A 128×96 photo with a painted square (x 40..79, y 30..59). */
async function scene() {
  const image = await photoRaster("fruits.jpg", 128, 96);
  const mask = maskOf(image, (x, y) => x >= 40 && x < 80 && y >= 30 && y < 60);
  return { image, mask, request: eraseRequest(image, mask, 1, 4242) };
}

describe("bedrock-stability request bodies, as the SDK sends them", () => {
  it("inpaint: snake_case body of the documented schema, our mask as white = fill, the request's seed", async () => {
    // Prepare
    const { request, mask } = await scene();
    // Act
    await engine().run(
      { ...request, operation: "inpaint", prompt: "a green apple", negativePrompt: "blurry" },
      quietContext(),
    );
    // Assess
    expect(sent).toHaveLength(1);
    const { modelId, body } = sent[0]!;
    expect(modelId).toBe(INPAINT_MODEL_ID);
    expect(InpaintBodySchema.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({
      prompt: "a green apple",
      negative_prompt: "blurry",
      seed: 4242,
      output_format: "png",
    });
    const sentMask = await decodeBase64Png(body.mask);
    const sentImage = await decodeBase64Png(body.image);
    expect([sentImage.width, sentImage.height, sentMask.width, sentMask.height]).toEqual([128, 96, 128, 96]);
    for (const [x, y] of [
      [50, 40],
      [5, 5],
      [100, 80],
    ] as const) {
      const painted = mask.data[y * 128 + x] !== 0;
      expect(sentMask.data[(y * 128 + x) * 4]).toBe(painted ? 255 : 0);
    }
  });

  it("erase: no prompt, no negative prompt, image and mask only", async () => {
    // Prepare
    const { request } = await scene();
    // Act
    await engine().run({ ...request, negativePrompt: "ignored" }, quietContext());
    // Assess
    const { modelId, body } = sent[0]!;
    expect(modelId).toBe(ERASE_MODEL_ID);
    expect(EraseBodySchema.safeParse(body).success).toBe(true);
    expect(Object.keys(body).sort()).toEqual(["image", "mask", "output_format", "seed"]);
  });

  it("outpaint: the kept crop, per-side margins and creativity", async () => {
    // Prepare: the photo padded by 20/8/12/16 px, the mask white on the margins.
    const inner = await photoRaster("fruits.jpg", 128, 96);
    const width = 128 + 20 + 12;
    const height = 96 + 8 + 16;
    const image = { width, height, data: new Uint8Array(width * height * 4) };
    const mask = maskOf(image, (x, y) => x < 20 || x >= 148 || y < 8 || y >= 104);
    // Act
    await engine().run(
      {
        ...eraseRequest(image, mask),
        operation: "outpaint",
        prompt: "more of the table",
        options: { creativity: 0.4 },
      },
      quietContext(),
    );
    // Assess
    const { modelId, body } = sent[0]!;
    expect(modelId).toBe(OUTPAINT_MODEL_ID);
    expect(OutpaintBodySchema.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({ left: 20, right: 12, up: 8, down: 16, creativity: 0.4 });
    const crop = await decodeBase64Png(body.image);
    expect([crop.width, crop.height]).toEqual([inner.width, inner.height]);
  });

  it("search-replace and search-recolor: the second prompt in its own field, no mask", async () => {
    // Prepare
    const { image } = await scene();
    const base: EngineRequest = { ...eraseRequest(image, null as never), operation: "replace", mask: null };
    // Act
    await engine().run({ ...base, prompt: "a pear", options: { searchPrompt: "the apple" } }, quietContext());
    await engine().run(
      { ...base, prompt: "bright red", options: { mode: "recolor", selectPrompt: "the apple" } },
      quietContext(),
    );
    // Assess
    const [replace, recolor] = sent;
    expect(replace!.modelId).toBe(SEARCH_REPLACE_MODEL_ID);
    expect(SearchReplaceBodySchema.safeParse(replace!.body).success).toBe(true);
    expect(replace!.body).toMatchObject({ prompt: "a pear", search_prompt: "the apple" });
    expect(recolor!.modelId).toBe(SEARCH_RECOLOR_MODEL_ID);
    expect(SearchRecolorBodySchema.safeParse(recolor!.body).success).toBe(true);
    expect(recolor!.body).toMatchObject({ prompt: "bright red", select_prompt: "the apple" });
    expect(replace!.body.mask).toBeUndefined();
    expect(recolor!.body.mask).toBeUndefined();
  });

  it("remove-background: the image alone", async () => {
    // Prepare
    const { image } = await scene();
    // Act
    await engine().run(
      { ...eraseRequest(image, null as never), operation: "remove-background", mask: null },
      quietContext(),
    );
    // Assess
    const { modelId, body } = sent[0]!;
    expect(modelId).toBe(REMOVE_BACKGROUND_MODEL_ID);
    expect(RemoveBackgroundBodySchema.safeParse(body).success).toBe(true);
    expect(Object.keys(body).sort()).toEqual(["image", "output_format"]);
  });
});

describe("bedrock-stability input images", () => {
  it("sends an opaque image (transparency flattened on white) and keeps the source's alpha outside the mask", async () => {
    // Prepare: the left half of the photo fully transparent, the painted square on the right.
    const { image } = await scene();
    const data = new Uint8Array(image.data);
    for (let y = 0; y < 96; y++) for (let x = 0; x < 64; x++) data[(y * 128 + x) * 4 + 3] = 0;
    const source = { ...image, data };
    const squareOnTheRight = maskOf(image, (x, y) => x >= 80 && x < 110 && y >= 30 && y < 60);
    // Act
    const [result] = await runEnginePipeline({
      engine: engine(),
      operation: "erase",
      source,
      mask: squareOnTheRight,
      margins: null,
      prompt: null,
      negativePrompt: null,
      count: 1,
      seed: 9,
      options: {},
      signal: new AbortController().signal,
      onProgress: () => {},
    });
    // Assess
    const sentImage = await decodeBase64Png(sent[0]!.body.image);
    let translucent = 0;
    for (let i = 3; i < sentImage.data.length; i += 4) if (sentImage.data[i] !== 255) translucent++;
    expect(translucent).toBe(0);
    expect(Array.from(sentImage.data.subarray(0, 3))).toEqual([255, 255, 255]);
    expect(result!.data[(10 * 128 + 10) * 4 + 3]).toBe(0);
  });
});

describe("bedrock-stability limits, enforced before anything is sent", () => {
  it("refuses a prompt over 10,000 characters", async () => {
    // Prepare
    const { request } = await scene();
    // Act
    const run = engine().run(
      { ...request, operation: "inpaint", prompt: "a".repeat(10_001) },
      quietContext(),
    );
    // Assess
    await expect(run).rejects.toThrow(EngineRefusedError);
    await expect(run).rejects.toThrow(/at most 10000 characters/);
    expect(sent).toHaveLength(0);
  });

  it("refuses an image with a side under 64 px", async () => {
    // Prepare
    const image = await photoRaster("fruits.jpg", 200, 63);
    const mask = maskOf(image, (x) => x < 10);
    // Act
    const run = engine().run(eraseRequest(image, mask), quietContext());
    // Assess
    await expect(run).rejects.toThrow(EngineRefusedError);
    await expect(run).rejects.toThrow(/every side at least 64 px/);
    expect(sent).toHaveLength(0);
  });

  it("refuses an image over 9,437,184 pixels", async () => {
    // Prepare: only the size matters; the check runs before any pixel is read.
    const image = { width: 3073, height: 3072, data: new Uint8Array(3073 * 3072 * 4) };
    const mask = maskOf(image, (x) => x < 10);
    // Act
    const run = engine().run(eraseRequest(image, mask), quietContext());
    // Assess
    await expect(run).rejects.toThrow(/at most 9437184 pixels/);
    expect(sent).toHaveLength(0);
  });

  it("refuses an outpaint margin over 2,000 px", async () => {
    // Prepare: a 100×100 original with 2,001 px added on the left.
    const image = { width: 2101, height: 100, data: new Uint8Array(2101 * 100 * 4) };
    const mask = maskOf(image, (x) => x < 2001);
    // Act
    const run = engine().run({ ...eraseRequest(image, mask), operation: "outpaint" }, quietContext());
    // Assess
    await expect(run).rejects.toThrow(EngineRefusedError);
    await expect(run).rejects.toThrow(/at most 2000 px per side/);
    expect(sent).toHaveLength(0);
  });
});
