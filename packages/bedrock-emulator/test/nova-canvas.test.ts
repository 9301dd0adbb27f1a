import { readFile } from "node:fs/promises";
import { InvokeModelCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hasSyntheticLabel } from "../src/synthetic-image";
import {
  NOVA_CANVAS_MODEL_ID,
  NOVA_CANVAS_US_PROFILE_ID,
  createEmulatorClient,
  startBedrockEmulator,
  type BedrockEmulator,
} from "../src";
import { photoPath } from "../../../test/photos";

const WIDTH = 384;
const HEIGHT = 320;

let emulator: BedrockEmulator;
let client: BedrockRuntimeClient;
let photo: { png: string; rgba: Buffer };
/** Response headers of the last answer, read by an SDK middleware. */
let lastHeaders: Record<string, string> = {};

beforeAll(async () => {
  emulator = await startBedrockEmulator();
  client = createEmulatorClient(emulator);
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      lastHeaders = (out.response as { headers: Record<string, string> }).headers;
      return out;
    },
    { step: "deserialize", name: "readEmulatorHeaders" },
  );
  const resized = sharp(await readFile(photoPath("fruits.jpg"))).resize(WIDTH, HEIGHT, {
    fit: "cover",
  });
  photo = {
    png: (await resized.clone().png().toBuffer()).toString("base64"),
    rgba: await resized.clone().ensureAlpha().raw().toBuffer(),
  };
});

afterEach(() => emulator.faults.reset());

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

async function invoke(body: unknown, modelId = NOVA_CANVAS_MODEL_ID) {
  const response = await client.send(
    new InvokeModelCommand({
      modelId,
      contentType: "application/json",
      accept: "application/json",
      body: JSON.stringify(body),
    }),
  );
  return JSON.parse(new TextDecoder().decode(response.body)) as { images: string[]; error?: string };
}

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as Error & { $metadata: { httpStatusCode?: number } },
  );
  if (!error) throw new Error("expected a rejection");
  return { name: error.name, status: error.$metadata.httpStatusCode, message: error.message };
}

/** A WIDTH×HEIGHT black-and-white PNG: `inside` colour in the centre square, the other outside. */
async function squareMask(inside: 0 | 255) {
  const data = Buffer.alloc(WIDTH * HEIGHT * 3, 255 - inside);
  for (let y = 120; y < 200; y++) data.fill(inside, (y * WIDTH + 150) * 3, (y * WIDTH + 230) * 3);
  return (
    await sharp(data, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
      .png()
      .toBuffer()
  ).toString("base64");
}

const inCentre = (x: number, y: number) => x >= 150 && x < 230 && y >= 120 && y < 200;

async function rgbaOf(base64: string) {
  const { data, info } = await sharp(Buffer.from(base64, "base64"))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Bytes that differ from the photo where `where(x, y)` holds, and where it does not. */
function changes(data: Buffer, where: (x: number, y: number) => boolean) {
  const counts = { where: 0, elsewhere: 0 };
  for (let y = 0; y < HEIGHT; y++)
    for (let x = 0; x < WIDTH; x++)
      for (let c = 0; c < 3; c++)
        if (data[(y * WIDTH + x) * 4 + c] !== photo.rgba[(y * WIDTH + x) * 4 + c]) {
          if (where(x, y)) counts.where++;
          else counts.elsewhere++;
        }
  return counts;
}

describe("Bedrock emulator: Amazon Nova Canvas", () => {
  it("inpaints the black part of the mask, as many images as asked for, under the base and us. ids", async () => {
    // Prepare
    const body = {
      taskType: "INPAINTING",
      inPaintingParams: { image: photo.png, maskImage: await squareMask(0), text: "a pear" },
      imageGenerationConfig: { numberOfImages: 2, seed: 7, quality: "standard", cfgScale: 6.5 },
    };
    // Act
    const base = await invoke(body);
    const profile = await invoke(body, NOVA_CANVAS_US_PROFILE_ID);
    // Assess
    expect(base.images).toHaveLength(2);
    expect(profile.images).toHaveLength(2);
    const first = await rgbaOf(base.images[0]!);
    expect([first.width, first.height]).toEqual([WIDTH, HEIGHT]);
    const counts = changes(first.data, inCentre);
    expect(counts.elsewhere).toBe(0);
    expect(counts.where).toBeGreaterThan(0);
    expect(lastHeaders["x-emulator-synthetic"]).toBeUndefined();
  });

  it("outpaints the white part of the mask and keeps the black part", async () => {
    // Prepare: keep the centre square (black), paint everything else (white).
    const body = {
      taskType: "OUTPAINTING",
      outPaintingParams: {
        image: photo.png,
        maskImage: await squareMask(0),
        text: "a market stall",
        outPaintingMode: "PRECISE",
      },
    };
    // Act
    const answer = await invoke(body);
    // Assess
    const counts = changes((await rgbaOf(answer.images[0]!)).data, (x, y) => !inCentre(x, y));
    expect(counts.elsewhere).toBe(0);
    expect(counts.where).toBeGreaterThan(0);
  });

  it("removes the background without imageGenerationConfig, and answers variation and text-to-image synthetically", async () => {
    // Act
    const removed = await invoke({
      taskType: "BACKGROUND_REMOVAL",
      backgroundRemovalParams: { image: photo.png },
    });
    const removedHeader = lastHeaders["x-emulator-synthetic"];
    const variation = await invoke({
      taskType: "IMAGE_VARIATION",
      imageVariationParams: { images: [photo.png], text: "autumn", similarityStrength: 0.7 },
      imageGenerationConfig: { width: 512, height: 320, numberOfImages: 3, seed: 1 },
    });
    const generated = await invoke({
      taskType: "TEXT_IMAGE",
      textToImageParams: { text: "a lighthouse at dusk" },
      imageGenerationConfig: { width: 640, height: 384, seed: 4 },
    });
    const generatedHeader = lastHeaders["x-emulator-synthetic"];
    // Assess
    const matte = await rgbaOf(removed.images[0]!);
    expect(matte.data[3]).toBe(0);
    expect(matte.data[((HEIGHT / 2) * WIDTH + WIDTH / 2) * 4 + 3]).toBe(255);
    expect(removedHeader).toMatch(/BACKGROUND_REMOVAL/);
    expect(variation.images).toHaveLength(3);
    expect((await rgbaOf(variation.images[0]!)).width).toBe(512);
    expect(variation.images[0]).not.toBe(variation.images[1]);
    const image = await rgbaOf(generated.images[0]!);
    expect([image.width, image.height]).toEqual([640, 384]);
    const labelled = async (base64: string) => {
      const decoded = await rgbaOf(base64);
      return hasSyntheticLabel({ ...decoded, data: new Uint8Array(decoded.data) });
    };
    expect(await labelled(generated.images[0]!)).toBe(true);
    expect(await labelled(variation.images[0]!)).toBe(true);
    expect(await labelled(removed.images[0]!)).toBe(false);
    expect(generatedHeader).toMatch(/TEXT_IMAGE/);
  });

  it("refuses bodies and images outside the documented rules with a ValidationException naming the rule", async () => {
    // Prepare
    const odd = (await sharp(Buffer.from(photo.png, "base64")).resize(330, 320).png().toBuffer()).toString(
      "base64",
    );
    const wide = (await sharp(Buffer.from(photo.png, "base64")).resize(1344, 320).png().toBuffer()).toString(
      "base64",
    );
    const translucent = (
      await sharp(Buffer.from(photo.png, "base64")).ensureAlpha(0.5).png().toBuffer()
    ).toString("base64");
    const greyMask = (
      await sharp({
        create: { width: WIDTH, height: HEIGHT, channels: 3, background: { r: 128, g: 128, b: 128 } },
      })
        .png()
        .toBuffer()
    ).toString("base64");
    const inpaint = (params: object, config: object = {}) => ({
      taskType: "INPAINTING",
      inPaintingParams: { image: photo.png, maskPrompt: "the apple", ...params },
      imageGenerationConfig: config,
    });
    const cases: [unknown, RegExp][] = [
      [inpaint({ image: odd }), /multiple of 16/],
      [inpaint({ image: wide }), /aspect ratio must be between 1:4 and 4:1/],
      [inpaint({ image: translucent }), /transparent or translucent/],
      [inpaint({ maskPrompt: undefined, maskImage: greyMask }), /only pure black and pure white/],
      [inpaint({ maskImage: greyMask }), /exactly one of maskImage and maskPrompt/],
      [inpaint({ text: "x".repeat(1025) }), /inPaintingParams\.text/],
      [inpaint({}, { seed: 2_147_483_647 }), /imageGenerationConfig\.seed/],
      [inpaint({}, { cfgScale: 1 }), /imageGenerationConfig\.cfgScale/],
      [inpaint({}, { numberOfImages: 6 }), /imageGenerationConfig\.numberOfImages/],
      [
        {
          taskType: "TEXT_IMAGE",
          textToImageParams: { text: "x" },
          imageGenerationConfig: { width: 4096, height: 4096 },
        },
        /supported resolutions/,
      ],
      [
        {
          taskType: "BACKGROUND_REMOVAL",
          backgroundRemovalParams: { image: photo.png },
          imageGenerationConfig: { seed: 1 },
        },
        /imageGenerationConfig/,
      ],
      [
        { taskType: "OUTPAINTING", outPaintingParams: { image: photo.png, maskPrompt: "fruit" } },
        /outPaintingParams\.text/,
      ],
    ];
    for (const [body, message] of cases) {
      // Act
      const error = await rejection(invoke(body));
      // Assess
      expect(error, String(message)).toMatchObject({ name: "ValidationException", status: 400 });
      expect(error.message).toMatch(message);
    }
  });

  it("applies the faults: throttling, access denied, input refused by the filters, output withheld in `error`", async () => {
    // Prepare
    const body = { taskType: "BACKGROUND_REMOVAL", backgroundRemovalParams: { image: photo.png } };
    // Act
    emulator.faults.throttleNext(1);
    const throttled = await rejection(invoke(body));
    emulator.faults.denyAccessNext(1);
    const denied = await rejection(invoke(body));
    emulator.faults.refuseInput(1);
    const refusedInput = await rejection(invoke(body));
    emulator.faults.refuseOutput(1);
    const refusedOutput = await invoke(body);
    // Assess
    expect(throttled).toMatchObject({ name: "ThrottlingException", status: 429 });
    expect(denied).toMatchObject({ name: "AccessDeniedException", status: 403 });
    expect(refusedInput).toMatchObject({ name: "ValidationException", status: 400 });
    expect(refusedInput.message).toMatch(/content filters/);
    expect(refusedOutput.images).toEqual([]);
    expect(refusedOutput.error).toMatch(/blocked by our content filters/);
  });
});
