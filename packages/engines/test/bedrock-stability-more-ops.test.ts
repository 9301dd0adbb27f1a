import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { EngineRefusedError, ValidationError, type EngineRequest } from "@retouch/core";
import { createEmulatorClient, startBedrockEmulator, type BedrockEmulator } from "@retouch/bedrock-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBedrockStabilityEngine, createConfiguredEngines } from "../src";
import { STABILITY_PROFILES } from "../src/bedrock";
import { differingBytes, eraseRequest, maskOf, photoRaster, quietContext } from "./fixtures";

let emulator: BedrockEmulator;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  emulator = await startBedrockEmulator();
  client = createEmulatorClient(emulator);
});

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

const engine = () =>
  createBedrockStabilityEngine({ client, retry: { maxAttempts: 2, baseDelayMs: 2, maxDelayMs: 5 } });

describe("bedrock-stability outpaint, replace, recolor and remove-background against the emulator", () => {
  it("derives its operations from the model catalogue", () => {
    expect(engine().capabilities.operations).toEqual([
      "inpaint",
      "erase",
      "outpaint",
      "replace",
      "remove-background",
    ]);
    expect(new Set(Object.values(STABILITY_PROFILES).map((p) => p.operation))).toEqual(
      new Set(engine().capabilities.operations),
    );
  });

  it("refuses a configured model id whose key names none of its models", () => {
    // Act
    const configure = () =>
      createConfiguredEngines({
        engines: ["bedrock-stability"],
        bedrockEndpoint: emulator.url,
        bedrockStabilityModelIds: { paint: "stability.x-v1:0" },
      });
    // Assess
    expect(configure).toThrow(ValidationError);
    expect(configure).toThrow(
      /RETOUCH_BEDROCK_STABILITY_MODEL_IDS: 'paint' names no model of bedrock-stability \(inpaint, erase, outpaint, replace, recolor, remove-background\)/,
    );
  });

  it("outpaints a padded image: sends the centre crop and margins, keeps the original pixels", async () => {
    // Prepare: the pipeline's shape — the photo padded by margins, mask white on the margins.
    const inner = await photoRaster("fruits.jpg", 128, 96);
    const [left, up, right, down] = [20, 8, 12, 16];
    const width = 128 + left + right;
    const height = 96 + up + down;
    const data = new Uint8Array(width * height * 4);
    for (let y = 0; y < 96; y++)
      data.set(inner.data.subarray(y * 128 * 4, (y + 1) * 128 * 4), ((y + up) * width + left) * 4);
    const image = { width, height, data };
    const mask = maskOf(image, (x, y) => x < left || x >= left + 128 || y < up || y >= up + 96);
    const request: EngineRequest = { ...eraseRequest(image, mask), operation: "outpaint" };
    // Act
    const [result] = await engine().run(request, quietContext());
    // Assess
    expect([result!.width, result!.height]).toEqual([width, height]);
    let changed = 0;
    for (let i = 0; i < mask.data.length; i++)
      if (!mask.data[i])
        for (let c = 0; c < 3; c++) if (result!.data[i * 4 + c] !== data[i * 4 + c]) changed++;
    expect(changed).toBe(0);
    expect(result!.data[3]).toBe(255);
  });

  it("replaces what options.searchPrompt names, and refuses without it before calling", async () => {
    // Prepare
    const image = await photoRaster("fruits.jpg", 128, 96);
    const base = {
      ...eraseRequest(
        image,
        maskOf(image, () => false),
      ),
      operation: "replace" as const,
    };
    const before = emulator.invocations;
    // Act
    const [replaced] = await engine().run(
      {
        ...base,
        mask: null,
        prompt: "a pear",
        options: { searchPrompt: "apple" },
      } as unknown as EngineRequest,
      quietContext(),
    );
    const missing = engine().run({ ...base, prompt: "a pear" }, quietContext());
    // Assess
    expect(differingBytes(replaced!.data, image.data)).toBeGreaterThan(0);
    await expect(missing).rejects.toThrow(EngineRefusedError);
    await expect(missing).rejects.toThrow(/searchPrompt/);
    expect(emulator.invocations - before).toBe(1);
  });

  it("recolours through search-recolor when options.mode is recolor", async () => {
    // Prepare
    const image = await photoRaster("fruits.jpg", 128, 96);
    const base = {
      ...eraseRequest(
        image,
        maskOf(image, () => false),
      ),
      operation: "replace" as const,
    };
    // Act
    const [recolored] = await engine().run(
      { ...base, prompt: "bright red", options: { mode: "recolor", selectPrompt: "apple" } },
      quietContext(),
    );
    const [replaced] = await engine().run(
      { ...base, prompt: "bright red", options: { searchPrompt: "apple" } },
      quietContext(),
    );
    // Assess: the synthetic tint depends on the model, so the two models answered differently.
    expect(differingBytes(recolored!.data, replaced!.data)).toBeGreaterThan(0);
  });

  it("removes the background into an image with alpha", async () => {
    // Prepare
    const image = await photoRaster("fruits.jpg", 128, 96);
    const request: EngineRequest = {
      ...eraseRequest(
        image,
        maskOf(image, () => false),
      ),
      operation: "remove-background",
    };
    // Act
    const [result] = await engine().run(request, quietContext());
    // Assess
    expect([result!.width, result!.height]).toEqual([128, 96]);
    expect(result!.data[3]).toBe(0);
    expect(result!.data[(48 * 128 + 64) * 4 + 3]).toBe(255);
  });
});
