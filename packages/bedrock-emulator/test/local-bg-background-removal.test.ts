import { readFile } from "node:fs/promises";
import { InvokeModelCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import sharp from "sharp";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  REMOVE_BACKGROUND_MODEL_ID,
  createEmulatorClient,
  startBedrockEmulator,
  type BedrockEmulator,
} from "../src";
import { photoPath } from "../../../test/photos";

// One real cut-out only: the local-bg model costs ~20 CPU-seconds per photo.
let emulator: BedrockEmulator;
let client: BedrockRuntimeClient;
let headers: Record<string, string> = {};

beforeAll(async () => {
  emulator = await startBedrockEmulator({ backgroundRemoval: "local-bg" });
  client = createEmulatorClient(emulator);
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      headers = (out.response as { headers: Record<string, string> }).headers;
      return out;
    },
    { step: "deserialize", name: "readEmulatorHeaders" },
  );
});

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

it("answers remove-background with the real local-bg matte: a PNG with alpha, not synthetic", async () => {
  const photo = await sharp(await readFile(photoPath("squirrel_cls.jpg")))
    .resize(300)
    .png()
    .toBuffer();
  const response = await client.send(
    new InvokeModelCommand({
      modelId: REMOVE_BACKGROUND_MODEL_ID,
      contentType: "application/json",
      accept: "application/json",
      body: JSON.stringify({ image: photo.toString("base64"), output_format: "png" }),
    }),
  );
  const body = JSON.parse(new TextDecoder().decode(response.body)) as { images: string[] };
  expect(headers["x-emulator-synthetic"]).toBeUndefined();
  expect(body.images).toHaveLength(1);
  const png = Buffer.from(body.images[0]!, "base64");
  const meta = await sharp(png).metadata();
  expect(meta).toMatchObject({ format: "png", width: 300, height: 239, hasAlpha: true });
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  /** Mean alpha of the 12×12 square whose top-left corner is (x, y). */
  const meanAlpha = (x0: number, y0: number) => {
    let sum = 0;
    for (let y = y0; y < y0 + 12; y++) {
      for (let x = x0; x < x0 + 12; x++) sum += data[(y * info.width + x) * 4 + 3]!;
    }
    return sum / 144;
  };
  const { width, height } = info;
  // The leaves in the corners are background; the squirrel's chest fills the centre.
  for (const [x, y] of [
    [0, 0],
    [width - 12, 0],
    [0, height - 12],
    [width - 12, height - 12],
  ] as const) {
    expect(meanAlpha(x, y), `corner at ${x},${y}`).toBeLessThan(16);
  }
  expect(meanAlpha(Math.floor(width / 2) - 6, Math.floor(height / 2) - 6)).toBeGreaterThan(240);
}, 180_000);
