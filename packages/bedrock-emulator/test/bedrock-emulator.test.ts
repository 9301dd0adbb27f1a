import { readFile } from "node:fs/promises";
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ERASE_MODEL_ID,
  INPAINT_MODEL_ID,
  createEmulatorClient,
  startBedrockEmulator,
  type BedrockEmulator,
} from "../src";
import { photoPath } from "../../../test/photos";

const WIDTH = 256;
const HEIGHT = 192;
/** The painted square: x and y in [100, 140). */
const inSquare = (x: number, y: number) => x >= 100 && x < 140 && y >= 100 && y < 140;

let emulator: BedrockEmulator;
let client: BedrockRuntimeClient;
let photo: { png: Buffer; rgba: Buffer };
let maskPng: Buffer;

beforeAll(async () => {
  emulator = await startBedrockEmulator();
  client = createEmulatorClient(emulator);
  const crop = sharp(await readFile(photoPath("fruits.jpg")))
    .resize(WIDTH, HEIGHT, { fit: "cover" })
    .ensureAlpha();
  const rgba = await crop.clone().raw().toBuffer();
  photo = {
    rgba,
    png: await sharp(rgba, { raw: { width: WIDTH, height: HEIGHT, channels: 4 } })
      .png()
      .toBuffer(),
  };
  const mask = Buffer.alloc(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++)
    for (let x = 0; x < WIDTH; x++) mask[y * WIDTH + x] = inSquare(x, y) ? 255 : 0;
  maskPng = await sharp(mask, { raw: { width: WIDTH, height: HEIGHT, channels: 1 } })
    .png()
    .toBuffer();
});

afterEach(() => emulator.faults.reset());

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

async function invoke(modelId: string, body: unknown) {
  const response = await client.send(
    new InvokeModelCommand({
      modelId,
      contentType: "application/json",
      accept: "application/json",
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
  return JSON.parse(new TextDecoder().decode(response.body)) as {
    images: string[];
    seeds: number[];
    finish_reasons: (string | null)[];
  };
}

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as Error & { $metadata: { httpStatusCode?: number } },
  );
  if (!error) throw new Error("expected a rejection");
  return { name: error.name, status: error.$metadata.httpStatusCode, message: error.message };
}

function pixelsOutsideSquareDiffering(result: Buffer): number {
  let differing = 0;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      if (inSquare(x, y)) continue;
      const i = (y * WIDTH + x) * 4;
      if (result.compare(photo.rgba, i, i + 4, i, i + 4) !== 0) differing++;
    }
  }
  return differing;
}

describe("Bedrock emulator through the real AWS SDK client (HTTP/2)", () => {
  it("inpaints the white part of the mask and leaves every other pixel unchanged", async () => {
    // Prepare
    const body = {
      prompt: "a bowl of cherries",
      image: photo.png.toString("base64"),
      mask: maskPng.toString("base64"),
      seed: 42,
    };
    // Act
    const answer = await invoke(INPAINT_MODEL_ID, body);
    // Assess
    expect(answer.seeds).toEqual([42]);
    expect(answer.finish_reasons).toEqual([null]);
    const { data, info } = await sharp(Buffer.from(answer.images[0]!, "base64"))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([WIDTH, HEIGHT]);
    expect(pixelsOutsideSquareDiffering(data)).toBe(0);
    expect(data.equals(photo.rgba)).toBe(false);
  });

  it("erases the masked object without a prompt", async () => {
    // Prepare
    const body = { image: photo.png.toString("base64"), mask: maskPng.toString("base64") };
    // Act
    const answer = await invoke(ERASE_MODEL_ID, body);
    // Assess
    expect(answer.finish_reasons).toEqual([null]);
    expect(answer.seeds[0]).toBeGreaterThan(0);
    const { data } = await sharp(Buffer.from(answer.images[0]!, "base64"))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(pixelsOutsideSquareDiffering(data)).toBe(0);
  });

  it.each([
    [
      "no prompt",
      INPAINT_MODEL_ID,
      () => ({ image: photo.png.toString("base64"), mask: maskPng.toString("base64") }),
      /prompt/,
    ],
    [
      "a seed out of range",
      ERASE_MODEL_ID,
      () => ({ image: photo.png.toString("base64"), mask: maskPng.toString("base64"), seed: 4_294_967_295 }),
      /seed/,
    ],
    [
      "a prompt over 10,000 characters",
      INPAINT_MODEL_ID,
      () => ({
        prompt: "x".repeat(10_001),
        image: photo.png.toString("base64"),
        mask: maskPng.toString("base64"),
      }),
      /prompt/,
    ],
    [
      "an unknown field",
      ERASE_MODEL_ID,
      () => ({ image: photo.png.toString("base64"), mask: maskPng.toString("base64"), strength: 1 }),
      /strength/,
    ],
    [
      "image bytes that are no image",
      ERASE_MODEL_ID,
      () => ({ image: "aGVsbG8=", mask: maskPng.toString("base64") }),
      /image/,
    ],
    ["a body that is not JSON", ERASE_MODEL_ID, () => "{not json", /JSON/],
  ])("answers 400 ValidationException with a reason for %s", async (_label, modelId, body, reason) => {
    // Prepare
    const request = body();
    // Act
    const error = await rejection(invoke(modelId, request));
    // Assess
    expect(error).toMatchObject({ name: "ValidationException", status: 400 });
    expect(error.message).toMatch(reason);
  });

  it("refuses images with a side under 64 px and masks of another size", async () => {
    // Prepare
    const tiny = await sharp(photo.png).resize(63, 63).png().toBuffer();
    const tinyMask = await sharp(maskPng).resize(63, 63).png().toBuffer();
    // Act
    const small = await rejection(
      invoke(ERASE_MODEL_ID, { image: tiny.toString("base64"), mask: tinyMask.toString("base64") }),
    );
    const mismatched = await rejection(
      invoke(ERASE_MODEL_ID, { image: photo.png.toString("base64"), mask: tinyMask.toString("base64") }),
    );
    // Assess
    expect(small).toMatchObject({ name: "ValidationException", status: 400 });
    expect(small.message).toMatch(/at least 64/);
    expect(mismatched.message).toMatch(/size of the image/);
  });

  it("answers 404 ResourceNotFoundException for an unknown model", async () => {
    // Act
    const error = await rejection(invoke("stability.no-such-model-v1:0", {}));
    // Assess
    expect(error).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
  });

  it("injects throttling, a model not ready or timed out, access denial, content-filter refusals and an inference error", async () => {
    // Prepare
    const body = { image: photo.png.toString("base64"), mask: maskPng.toString("base64") };
    // Act
    emulator.faults.throttleNext(1);
    const throttled = await rejection(invoke(ERASE_MODEL_ID, body));
    emulator.faults.modelNotReadyNext(1);
    const notReady = await rejection(invoke(ERASE_MODEL_ID, body));
    emulator.faults.modelTimeoutNext(1);
    const timedOut = await rejection(invoke(ERASE_MODEL_ID, body));
    emulator.faults.denyAccessNext(1);
    const denied = await rejection(invoke(ERASE_MODEL_ID, body));
    emulator.faults.refuseInput();
    const refusedInput = await rejection(invoke(ERASE_MODEL_ID, body));
    emulator.faults.refuseOutput();
    const refusedOutput = await invoke(ERASE_MODEL_ID, body);
    emulator.faults.inferenceErrorNext();
    const failed = await invoke(ERASE_MODEL_ID, body);
    const afterFaults = await invoke(ERASE_MODEL_ID, body);
    // Assess
    expect(throttled).toMatchObject({ name: "ThrottlingException", status: 429 });
    expect(notReady).toMatchObject({ name: "ModelNotReadyException", status: 429 });
    expect(timedOut).toMatchObject({ name: "ModelTimeoutException", status: 408 });
    expect(denied).toMatchObject({ name: "AccessDeniedException", status: 403 });
    expect(refusedInput).toMatchObject({ name: "ValidationException", status: 400 });
    expect(refusedInput.message).toMatch(/content filters/);
    expect(refusedOutput).toMatchObject({ images: [], finish_reasons: ["Filter reason: output image"] });
    expect(failed).toMatchObject({ images: [], finish_reasons: ["Inference error"] });
    expect(afterFaults.finish_reasons).toEqual([null]);
  });

  it("injects a malformed answer and a delay", async () => {
    // Prepare
    const body = { image: photo.png.toString("base64"), mask: maskPng.toString("base64") };
    emulator.faults.malformedNext();
    emulator.faults.slow(150);
    const started = Date.now();
    // Act
    const response = await client.send(
      new InvokeModelCommand({ modelId: ERASE_MODEL_ID, body: JSON.stringify(body) }),
    );
    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(() => JSON.parse(new TextDecoder().decode(response.body)) as unknown).toThrow();
  });
});

describe("Bedrock emulator over HTTP/1.1", () => {
  it("answers the same route with JSON errors and x-amzn-ErrorType", async () => {
    // Prepare
    const url = `${emulator.url}/model/${encodeURIComponent(INPAINT_MODEL_ID)}/invoke`;
    // Act
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toMatch(/^ValidationException/);
    expect(((await response.json()) as { message: string }).message).toMatch(/prompt/);
  });

  it("erases over HTTP/1.1 too", async () => {
    // Prepare
    const url = `${emulator.url}/model/${encodeURIComponent(ERASE_MODEL_ID)}/invoke`;
    const body = JSON.stringify({
      image: photo.png.toString("base64"),
      mask: maskPng.toString("base64"),
      seed: 3,
    });
    // Act
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    // Assess
    expect(response.status).toBe(200);
    expect(((await response.json()) as { seeds: number[] }).seeds).toEqual([3]);
  });
});
