import { readFile } from "node:fs/promises";
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasSyntheticLabel } from "../src/synthetic-image";
import {
  OUTPAINT_MODEL_ID,
  REMOVE_BACKGROUND_MODEL_ID,
  SEARCH_RECOLOR_MODEL_ID,
  SEARCH_REPLACE_MODEL_ID,
  createEmulatorClient,
  startBedrockEmulator,
  type BedrockEmulator,
} from "../src";
import { photoPath } from "../../../test/photos";

let emulator: BedrockEmulator;
let client: BedrockRuntimeClient;
let png: string;

beforeAll(async () => {
  emulator = await startBedrockEmulator();
  client = createEmulatorClient(emulator);
  png = (
    await sharp(await readFile(photoPath("fruits.jpg")))
      .resize(128, 96, { fit: "cover" })
      .png()
      .toBuffer()
  ).toString("base64");
});

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
      body: JSON.stringify(body),
    }),
  );
  return JSON.parse(new TextDecoder().decode(response.body)) as {
    images: string[];
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

describe("Bedrock emulator: outpaint, search-replace, search-recolor, remove-background", () => {
  it("outpaints by per-side margins and returns the grown image with the original in place", async () => {
    // Act
    const out = await invoke(OUTPAINT_MODEL_ID, { image: png, left: 16, right: 8, up: 4, down: 12, seed: 3 });
    // Assess
    const { data, info } = await sharp(Buffer.from(out.images[0]!, "base64"))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([128 + 24, 96 + 16]);
    const original = await sharp(Buffer.from(png, "base64")).ensureAlpha().raw().toBuffer();
    let differing = 0;
    for (let y = 0; y < 96; y++)
      for (let x = 0; x < 128; x++)
        for (let c = 0; c < 3; c++)
          if (data[((y + 4) * info.width + x + 16) * 4 + c] !== original[(y * 128 + x) * 4 + c]) differing++;
    expect(differing).toBe(0);
    expect(data[3]).toBe(255); // the corner margin is filled, not transparent
  });

  it("validates outpaint margins (0..2000, at least one) and creativity (0..1)", async () => {
    // Act
    const tooWide = await rejection(invoke(OUTPAINT_MODEL_ID, { image: png, left: 2001 }));
    const none = await rejection(invoke(OUTPAINT_MODEL_ID, { image: png }));
    const creative = await rejection(invoke(OUTPAINT_MODEL_ID, { image: png, left: 8, creativity: 1.5 }));
    // Assess
    expect(tooWide).toMatchObject({ name: "ValidationException", status: 400 });
    expect(tooWide.message).toMatch(/left/);
    expect(none.message).toMatch(/at least one of left/);
    expect(creative.message).toMatch(/creativity/);
  });

  it("answers search-replace and search-recolor with a deterministic synthetic tint", async () => {
    // Act
    const a = await invoke(SEARCH_REPLACE_MODEL_ID, {
      image: png,
      prompt: "a cat",
      search_prompt: "dog",
      seed: 1,
    });
    const b = await invoke(SEARCH_REPLACE_MODEL_ID, {
      image: png,
      prompt: "a cat",
      search_prompt: "dog",
      seed: 2,
    });
    const c = await invoke(SEARCH_RECOLOR_MODEL_ID, { image: png, prompt: "red", select_prompt: "apple" });
    const missing = await rejection(invoke(SEARCH_REPLACE_MODEL_ID, { image: png, prompt: "a cat" }));
    const wrongKey = await rejection(
      invoke(SEARCH_RECOLOR_MODEL_ID, { image: png, prompt: "red", search_prompt: "apple" }),
    );
    // Assess
    expect(a.images[0]).toBe(b.images[0]);
    expect(a.images[0]).not.toBe(png);
    const { data, info } = await sharp(Buffer.from(a.images[0]!, "base64"))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(hasSyntheticLabel({ width: info.width, height: info.height, data: new Uint8Array(data) })).toBe(
      true,
    );
    expect(c.finish_reasons).toEqual([null]);
    expect(missing.message).toMatch(/search_prompt/);
    expect(wrongKey.message).toMatch(/select_prompt/);
  });

  it("removes the background into a PNG with alpha (synthetic centred ellipse)", async () => {
    // Act
    const out = await invoke(REMOVE_BACKGROUND_MODEL_ID, { image: png, output_format: "png" });
    const jpeg = await rejection(invoke(REMOVE_BACKGROUND_MODEL_ID, { image: png, output_format: "jpeg" }));
    const seeded = await rejection(invoke(REMOVE_BACKGROUND_MODEL_ID, { image: png, seed: 1 }));
    // Assess
    const { data, info } = await sharp(Buffer.from(out.images[0]!, "base64"))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(data[3]).toBe(0);
    expect(data[(48 * 128 + 64) * 4 + 3]).toBe(255);
    expect(jpeg.message).toMatch(/output_format/);
    expect(seeded.status).toBe(400);
  });
});
