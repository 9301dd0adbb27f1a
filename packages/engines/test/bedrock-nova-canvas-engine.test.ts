import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import {
  EngineRefusedError,
  ServiceUnavailableError,
  type EngineRequest,
  type RasterImage,
} from "@retouch/core";
import {
  NovaCanvasBodySchema,
  createEmulatorClient,
  startBedrockEmulator,
  type BedrockEmulator,
  type NovaCanvasBody,
} from "@retouch/bedrock-emulator";
import { decodeRaster, runEnginePipeline } from "@retouch/imaging";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createBedrockNovaCanvasEngine, createConfiguredEngines } from "../src";
import { novaCanvasLayout } from "../src/bedrock";
import { changedOutside, differingBytes, eraseRequest, maskOf, photoRaster, quietContext } from "./fixtures";

let emulator: BedrockEmulator;
let client: BedrockRuntimeClient;
/** What the SDK sent, read by a middleware of the real client: model id and parsed body. */
let sent: { modelId: string; body: NovaCanvasBody }[] = [];

beforeAll(async () => {
  emulator = await startBedrockEmulator();
  client = createEmulatorClient(emulator);
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { modelId: string; body: string };
      sent.push({ modelId: input.modelId, body: JSON.parse(input.body) as NovaCanvasBody });
      return next(args);
    },
    { step: "initialize", name: "recordNovaRequests" },
  );
});

afterEach(() => {
  emulator.faults.reset();
  vi.unstubAllEnvs();
  sent = [];
});

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

function engine(modelId?: string, maxAttempts = 4) {
  return createBedrockNovaCanvasEngine({
    client,
    ...(modelId ? { modelId } : {}),
    retry: { maxAttempts, baseDelayMs: 2, maxDelayMs: 10 },
  });
}

/** A 500×400 crop of a real photo (Nova needs 512×400: padding only) with a painted square. */
async function scene() {
  const image = await photoRaster("fruits.jpg", 500, 400);
  const mask = maskOf(image, (x, y) => x >= 200 && x < 280 && y >= 150 && y < 230);
  return { image, mask };
}

/** The only request sent, checked against the emulator's schema of the documented body. */
function onlyBody(): NovaCanvasBody {
  expect(sent).toHaveLength(1);
  return NovaCanvasBodySchema.parse(sent[0]!.body);
}

const decodeBase64 = (value: string) => decodeRaster(Buffer.from(value, "base64"));

function expectNovaSize(image: RasterImage) {
  expect(image.width % 16).toBe(0);
  expect(image.height % 16).toBe(0);
  expect(Math.min(image.width, image.height)).toBeGreaterThanOrEqual(320);
  expect(Math.max(image.width, image.height)).toBeLessThanOrEqual(4096);
  expect(image.width * image.height).toBeLessThanOrEqual(4_194_304);
  expect(Math.max(image.width / image.height, image.height / image.width)).toBeLessThanOrEqual(4);
}

describe("bedrock-nova-canvas engine against the local Bedrock emulator", () => {
  it("inpaints with Nova's inverted mask, padding to multiples of 16, two results from one call", async () => {
    // Prepare
    const { image, mask } = await scene();
    const request: EngineRequest = {
      ...eraseRequest(image, mask, 2, 9),
      operation: "inpaint",
      prompt: "a pear",
    };
    // Act
    const results = await engine().run(request, quietContext());
    // Assess: the body.
    const body = onlyBody();
    if (body.taskType !== "INPAINTING") throw new Error(`sent ${body.taskType}`);
    expect(body.inPaintingParams.text).toBe("a pear");
    expect(body.imageGenerationConfig).toMatchObject({ numberOfImages: 2, seed: 9 });
    const sentImage = await decodeBase64(body.inPaintingParams.image);
    const sentMask = await decodeBase64(body.inPaintingParams.maskImage!);
    expect([sentImage.width, sentImage.height]).toEqual([512, 400]);
    expectNovaSize(sentImage);
    // Nova paints black: black exactly on our painted square (the 500-wide picture sits 6 px in).
    let wrong = 0;
    for (let y = 0; y < 400; y++)
      for (let x = 0; x < 512; x++) {
        const value = sentMask.data[(y * 512 + x) * 4]!;
        const painted = x - 6 >= 200 && x - 6 < 280 && y >= 150 && y < 230;
        if (value !== (painted ? 0 : 255)) wrong++;
      }
    expect(wrong).toBe(0);
    // Assess: the results.
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect([result.width, result.height]).toEqual([500, 400]);
      expect(changedOutside(image, result, mask.data)).toBe(0);
      expect(differingBytes(result.data, image.data)).toBeGreaterThan(0);
    }
  });

  it("erases without text, and finds the area by options.maskPrompt when given", async () => {
    // Prepare
    const { image, mask } = await scene();
    // Act
    await engine().run(eraseRequest(image, mask), quietContext());
    const erased = onlyBody();
    sent = [];
    await engine().run(
      { ...eraseRequest(image, mask), options: { maskPrompt: "the apple" } },
      quietContext(),
    );
    const prompted = onlyBody();
    // Assess
    if (erased.taskType !== "INPAINTING" || prompted.taskType !== "INPAINTING")
      throw new Error("not INPAINTING");
    expect(erased.inPaintingParams).not.toHaveProperty("text");
    expect(erased.inPaintingParams.maskImage).toBeDefined();
    expect(prompted.inPaintingParams).toMatchObject({ maskPrompt: "the apple" });
    expect(prompted.inPaintingParams).not.toHaveProperty("maskImage");
  });

  it("outpaints through the pipeline: margins white in Nova's mask, the original photo's pixels unchanged", async () => {
    // Prepare
    const source = await photoRaster("fruits.jpg");
    const margins = { top: 32, right: 64, bottom: 0, left: 40 };
    // Act
    const [result] = await runEnginePipeline({
      engine: engine(),
      operation: "outpaint",
      source,
      mask: null,
      margins,
      prompt: "more fruit on the table",
      negativePrompt: null,
      count: 1,
      seed: 3,
      options: { outPaintingMode: "PRECISE" },
      signal: new AbortController().signal,
      onProgress: () => {},
    });
    // Assess
    const body = onlyBody();
    if (body.taskType !== "OUTPAINTING") throw new Error(`sent ${body.taskType}`);
    expect(body.outPaintingParams).toMatchObject({
      text: "more fruit on the table",
      outPaintingMode: "PRECISE",
    });
    const sentMask = await decodeBase64(body.outPaintingParams.maskImage!);
    expectNovaSize(sentMask);
    // 616×512 padded to 624×512 puts the picture 4 px in; (14, 10) is in the top-left margin.
    expect([sentMask.width, sentMask.height]).toEqual([624, 512]);
    expect(sentMask.data[(10 * 624 + 14) * 4]).toBe(255); // white: to be painted
    expect(sentMask.data[((sentMask.height / 2) * sentMask.width + sentMask.width / 2) * 4]).toBe(0);
    const width = source.width + margins.left + margins.right;
    expect([result!.width, result!.height]).toEqual([width, source.height + margins.top]);
    let changed = 0;
    for (let y = 0; y < source.height; y++)
      for (let x = 0; x < source.width; x++)
        for (let c = 0; c < 4; c++)
          if (
            result!.data[((y + margins.top) * width + x + margins.left) * 4 + c] !==
            source.data[(y * source.width + x) * 4 + c]
          )
            changed++;
    expect(changed).toBe(0);
  });

  it("keeps pixels outside the mask unchanged when inpainting a real photo through the pipeline", async () => {
    // Prepare
    const source = await photoRaster("board.jpg");
    const mask = maskOf(source, (x, y) => (x - 320) ** 2 + (y - 240) ** 2 < 60 ** 2);
    // Act
    const [result] = await runEnginePipeline({
      engine: engine(),
      operation: "inpaint",
      source,
      mask,
      margins: null,
      prompt: "a chess piece",
      negativePrompt: "blurry",
      count: 1,
      seed: 5,
      options: {},
      signal: new AbortController().signal,
      onProgress: () => {},
    });
    // Assess
    expect(onlyBody()).toMatchObject({ inPaintingParams: { negativeText: "blurry" } });
    expect(changedOutside(source, result!, mask.data)).toBe(0);
    expect(differingBytes(result!.data, source.data)).toBeGreaterThan(0);
  });

  it("removes the background without imageGenerationConfig, resizing an odd size and mapping it back", async () => {
    // Prepare: 250 px is under Nova's 320 px minimum and neither side is a multiple of 16.
    const image = await photoRaster("fruits.jpg", 333, 250);
    const request: EngineRequest = {
      ...eraseRequest(
        image,
        maskOf(image, () => false),
      ),
      mask: null,
      operation: "remove-background",
    };
    // Act
    const [result] = await engine().run(request, quietContext());
    // Assess
    const body = onlyBody();
    expect(body).not.toHaveProperty("imageGenerationConfig");
    if (body.taskType !== "BACKGROUND_REMOVAL") throw new Error(`sent ${body.taskType}`);
    expectNovaSize(await decodeBase64(body.backgroundRemovalParams.image));
    expect([result!.width, result!.height]).toEqual([333, 250]);
    expect(result!.data[3]).toBe(0);
    expect(result!.data[(125 * 333 + 166) * 4 + 3]).toBe(255);
  });

  it("pads an image wider than 4:1 to an accepted aspect ratio and returns the source size", async () => {
    // Prepare
    const image = await photoRaster("board.jpg", 600, 100);
    const mask = maskOf(image, (x, y) => x >= 280 && x < 320 && y >= 30 && y < 70);
    // Act
    const [result] = await engine().run(eraseRequest(image, mask), quietContext());
    // Assess
    const body = onlyBody();
    if (body.taskType !== "INPAINTING") throw new Error(`sent ${body.taskType}`);
    expectNovaSize(await decodeBase64(body.inPaintingParams.image));
    expect([result!.width, result!.height]).toEqual([600, 100]);
  });

  it("makes variations at the source's size and generates images of the asked size", async () => {
    // Prepare
    const image = await photoRaster("fruits.jpg", 500, 400);
    const base = {
      ...eraseRequest(
        image,
        maskOf(image, () => false),
      ),
      mask: null,
    };
    // Act
    const variations = await engine().run(
      {
        ...base,
        operation: "variation",
        prompt: "in autumn",
        count: 3,
        options: { similarityStrength: 0.8 },
      },
      quietContext(),
    );
    const variationBody = onlyBody();
    sent = [];
    const [generated] = await engine().run(
      {
        ...base,
        image: null,
        operation: "generate",
        prompt: "a lighthouse",
        options: { width: 1000, height: 600 },
      },
      quietContext(),
    );
    const generateBody = onlyBody();
    // Assess
    expect(variations.map((v) => [v.width, v.height])).toEqual([
      [500, 400],
      [500, 400],
      [500, 400],
    ]);
    expect(variationBody).toMatchObject({
      taskType: "IMAGE_VARIATION",
      imageVariationParams: { text: "in autumn", similarityStrength: 0.8 },
      imageGenerationConfig: { numberOfImages: 3, width: 512, height: 400 },
    });
    expect(generateBody).toMatchObject({
      taskType: "TEXT_IMAGE",
      textToImageParams: { text: "a lighthouse" },
      imageGenerationConfig: { width: 1008, height: 608 },
    });
    expect([generated!.width, generated!.height]).toEqual([1000, 600]);
  });

  it("replaces what options.searchPrompt names: INPAINTING with a maskPrompt and the prompt as text, quality and cfgScale passed on", async () => {
    // Prepare
    const { image } = await scene();
    const request: EngineRequest = {
      ...eraseRequest(
        image,
        maskOf(image, () => false),
        1,
        21,
      ),
      operation: "replace",
      mask: null,
      prompt: "a pear",
      options: { searchPrompt: "the apple", quality: "premium", cfgScale: 7.5 },
    };
    // Act
    const [result] = await engine().run(request, quietContext());
    // Assess
    const body = onlyBody();
    if (body.taskType !== "INPAINTING") throw new Error(`sent ${body.taskType}`);
    expect(body.inPaintingParams).toMatchObject({ text: "a pear", maskPrompt: "the apple" });
    expect(body.inPaintingParams).not.toHaveProperty("maskImage");
    expect(body.imageGenerationConfig).toMatchObject({ quality: "premium", cfgScale: 7.5, seed: 21 });
    expect([result!.width, result!.height]).toEqual([image.width, image.height]);
    expect(differingBytes(result!.data, image.data)).toBeGreaterThan(0);
  });

  it("outpaints in DEFAULT mode unless options.outPaintingMode says PRECISE, and refuses another mode", async () => {
    // Prepare
    const { image } = await scene();
    const mask = maskOf(image, (x) => x >= 440);
    const request: EngineRequest = {
      ...eraseRequest(image, mask),
      operation: "outpaint",
      prompt: "more table",
    };
    // Act
    await engine().run(request, quietContext());
    const body = onlyBody();
    const bad = engine().run({ ...request, options: { outPaintingMode: "LOOSE" } }, quietContext());
    // Assess
    if (body.taskType !== "OUTPAINTING") throw new Error(`sent ${body.taskType}`);
    expect(body.outPaintingParams.outPaintingMode).toBe("DEFAULT");
    await expect(bad).rejects.toThrow(/options\.outPaintingMode must be "DEFAULT" or "PRECISE"/);
  });

  it("refuses a prompt over 1024 characters and a bad option before calling the model", async () => {
    // Prepare
    const { image, mask } = await scene();
    const before = emulator.invocations;
    // Act
    const long = engine().run(
      { ...eraseRequest(image, mask), operation: "inpaint", prompt: "x".repeat(1025) },
      quietContext(),
    );
    const badCfg = engine().run(
      { ...eraseRequest(image, mask), operation: "inpaint", prompt: "a pear", options: { cfgScale: 20 } },
      quietContext(),
    );
    // Assess
    await expect(long).rejects.toThrow(EngineRefusedError);
    await expect(long).rejects.toThrow(/accepts prompts of at most 1024 characters/);
    await expect(badCfg).rejects.toThrow(/options\.cfgScale must be a number from 1\.1 to 10/);
    expect(emulator.invocations).toBe(before);
  });

  it("retries throttling and unavailability, then succeeds", async () => {
    // Prepare
    const { image, mask } = await scene();
    emulator.faults.throttleNext(1);
    emulator.faults.unavailableNext(1);
    const before = emulator.invocations;
    // Act
    const [result] = await engine().run(eraseRequest(image, mask), quietContext());
    // Assess
    expect(emulator.invocations - before).toBe(3);
    expect(changedOutside(image, result!, mask.data)).toBe(0);
  });

  it("reports both refusal forms: input blocked (ValidationException) and output withheld (error in the body)", async () => {
    // Prepare
    const { image, mask } = await scene();
    const request: EngineRequest = { ...eraseRequest(image, mask), operation: "inpaint", prompt: "a pear" };
    // Act
    emulator.faults.refuseInput(1);
    const input = engine().run(request, quietContext());
    await input.catch(() => {});
    emulator.faults.refuseOutput(1);
    const output = engine().run(request, quietContext());
    // Assess
    await expect(input).rejects.toThrow(EngineRefusedError);
    await expect(input).rejects.toThrow(/blocked by the model's content filter/);
    await expect(output).rejects.toThrow(EngineRefusedError);
    await expect(output).rejects.toThrow(
      /blocked by the model's content filter \(The generated image has been blocked by our content filters/,
    );
  });

  it("names the configured model id and the region when access is denied", async () => {
    // Prepare
    const { image, mask } = await scene();
    emulator.faults.denyAccessNext(1);
    // Act
    const run = engine("us.amazon.nova-canvas-v1:0").run(eraseRequest(image, mask), quietContext());
    // Assess
    await expect(run).rejects.toThrow(ServiceUnavailableError);
    await expect(run).rejects.toThrow(
      /no access to Bedrock model us\.amazon\.nova-canvas-v1:0 in region us-east-1/,
    );
    expect(sent[0]!.modelId).toBe("us.amazon.nova-canvas-v1:0");
  });

  it("says Nova Canvas is past its end of life when Bedrock no longer knows the model", async () => {
    // Prepare
    const { image, mask } = await scene();
    // Act
    const run = engine("amazon.nova-canvas-v9:0").run(eraseRequest(image, mask), quietContext());
    // Assess
    await expect(run).rejects.toThrow(ServiceUnavailableError);
    await expect(run).rejects.toThrow(/amazon\.nova-canvas-v9:0 is not available in region us-east-1/);
    await expect(run).rejects.toThrow(/Legacy model on Bedrock with end of life on 2026-09-30/);
  });

  it("is built from the configuration with its model id, region and endpoint", async () => {
    // Prepare: the configured client finds credentials in the environment, as in a deployment.
    vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
    const [configured] = createConfiguredEngines({
      engines: ["bedrock-nova-canvas"],
      bedrockRegion: "eu-west-1",
      bedrockEndpoint: emulator.url,
      bedrockNovaModelId: "us.amazon.nova-canvas-v1:0",
    });
    const { image, mask } = await scene();
    emulator.faults.denyAccessNext(1);
    // Act
    const run = configured!.run(eraseRequest(image, mask), quietContext());
    // Assess
    expect(configured!.capabilities.id).toBe("bedrock-nova-canvas");
    await expect(run).rejects.toThrow(
      /no access to Bedrock model us\.amazon\.nova-canvas-v1:0 in region eu-west-1/,
    );
    // Marketplace subscriptions concern Stability AI models only.
    await expect(run).rejects.not.toThrow(/aws-marketplace/);
  });

  it("lays any size out on a canvas Nova accepts, scaling only when padding cannot do", () => {
    // Prepare
    const sizes = [
      [1, 1],
      [333, 250],
      [500, 400],
      [100, 2000],
      [10_000, 10],
      [2047, 2049],
      [4096, 4096],
      [6000, 1000],
    ] as const;
    for (const [width, height] of sizes) {
      // Act
      const { canvas, content, left, top } = novaCanvasLayout(width, height);
      // Assess
      expectNovaSize({ ...canvas, data: new Uint8Array() });
      expect(left + content.width).toBeLessThanOrEqual(canvas.width);
      expect(top + content.height).toBeLessThanOrEqual(canvas.height);
      expect(Math.abs(content.width / content.height - width / height) / (width / height)).toBeLessThan(0.1);
    }
    expect(novaCanvasLayout(500, 400).content).toEqual({ width: 500, height: 400 });
    expect(novaCanvasLayout(100, 2000).content.height).toBe(2000);
  });
});
