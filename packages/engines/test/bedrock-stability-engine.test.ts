import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { EngineRefusedError, ServiceUnavailableError, type EngineRequest } from "@retouch/core";
import { createEmulatorClient, startBedrockEmulator, type BedrockEmulator } from "@retouch/bedrock-emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createBedrockStabilityEngine, createConfiguredEngines } from "../src";
import { differingBytes, eraseRequest, maskOf, photoRaster, quietContext } from "./fixtures";

let emulator: BedrockEmulator;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  emulator = await startBedrockEmulator();
  client = createEmulatorClient(emulator);
});

afterEach(() => emulator.faults.reset());

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

/** An engine on the emulator with retry delays of a few milliseconds. */
function engineOnEmulator(maxAttempts = 4) {
  return createBedrockStabilityEngine({ client, retry: { maxAttempts, baseDelayMs: 2, maxDelayMs: 10 } });
}

async function scene() {
  const image = await photoRaster("fruits.jpg", 256, 192);
  const mask = maskOf(image, (x, y) => x >= 90 && x < 150 && y >= 60 && y < 120);
  return { image, mask };
}

function inpaintRequest(base: EngineRequest, prompt: string | null = "a green apple"): EngineRequest {
  return { ...base, operation: "inpaint", prompt };
}

/** How many bytes outside the mask differ between `a` and `b`. */
function changedOutsideMask(request: EngineRequest, result: { data: Uint8Array }): number {
  const { image, mask } = request;
  let count = 0;
  for (let i = 0; i < mask!.data.length; i++) {
    if (mask!.data[i]) continue;
    for (let c = 0; c < 4; c++) if (image!.data[i * 4 + c] !== result.data[i * 4 + c]) count++;
  }
  return count;
}

describe("bedrock-stability engine against the local Bedrock emulator", () => {
  it("inpaints with a prompt, changing the masked area only", async () => {
    // Prepare
    const { image, mask } = await scene();
    const request = inpaintRequest(eraseRequest(image, mask, 1, 11));
    const progress: number[] = [];
    // Act
    const [result] = await engineOnEmulator().run(request, quietContext(progress));
    // Assess
    expect([result!.width, result!.height]).toEqual([256, 192]);
    expect(changedOutsideMask(request, result!)).toBe(0);
    expect(differingBytes(result!.data, image.data)).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(1);
  });

  it("erases without a prompt and returns one image per requested result", async () => {
    // Prepare
    const { image, mask } = await scene();
    const request = eraseRequest(image, mask, 2, 5);
    const before = emulator.invocations;
    // Act
    const results = await engineOnEmulator().run(request, quietContext());
    // Assess
    expect(results).toHaveLength(2);
    expect(emulator.invocations - before).toBe(2);
    for (const result of results) expect(changedOutsideMask(request, result)).toBe(0);
    expect(differingBytes(results[0]!.data, results[1]!.data)).toBeGreaterThan(0);
  });

  it("refuses inpaint without a prompt before calling the model", async () => {
    // Prepare
    const { image, mask } = await scene();
    const before = emulator.invocations;
    // Act
    const run = engineOnEmulator().run(inpaintRequest(eraseRequest(image, mask), null), quietContext());
    // Assess
    await expect(run).rejects.toThrow(EngineRefusedError);
    await expect(run).rejects.toThrow(/needs a prompt/);
    expect(emulator.invocations).toBe(before);
  });

  it("retries throttling with backoff and then succeeds", async () => {
    // Prepare
    const { image, mask } = await scene();
    emulator.faults.throttleNext(2);
    emulator.faults.unavailableNext(1);
    const before = emulator.invocations;
    // Act
    const results = await engineOnEmulator(4).run(eraseRequest(image, mask), quietContext());
    // Assess
    expect(results).toHaveLength(1);
    expect(emulator.invocations - before).toBe(4);
  });

  it("fails clearly when throttling outlasts the retries", async () => {
    // Prepare
    const { image, mask } = await scene();
    emulator.faults.throttleNext(3);
    // Act
    const run = engineOnEmulator(3).run(eraseRequest(image, mask), quietContext());
    // Assess
    await expect(run).rejects.toThrow(ServiceUnavailableError);
    await expect(run).rejects.toThrow(/still busy after 3 attempts \(ThrottlingException\)/);
  });

  it("reports a refusal by the input content filter", async () => {
    // Prepare
    const { image, mask } = await scene();
    emulator.faults.refuseInput();
    // Act
    const run = engineOnEmulator().run(inpaintRequest(eraseRequest(image, mask)), quietContext());
    // Assess
    await expect(run).rejects.toThrow(EngineRefusedError);
    await expect(run).rejects.toThrow(/blocked by the model's content filter/);
  });

  it("reports an output withheld by the content filter", async () => {
    // Prepare
    const { image, mask } = await scene();
    emulator.faults.refuseOutput();
    // Act
    const run = engineOnEmulator().run(eraseRequest(image, mask), quietContext());
    // Assess
    await expect(run).rejects.toThrow(EngineRefusedError);
    await expect(run).rejects.toThrow(
      /blocked by the model's content filter \(Filter reason: output image\)/,
    );
  });

  it("reports an inference error as a failure of the model, not as a refusal", async () => {
    // Prepare
    const { image, mask } = await scene();
    emulator.faults.inferenceErrorNext();
    // Act
    const run = engineOnEmulator().run(eraseRequest(image, mask), quietContext());
    // Assess
    await expect(run).rejects.toThrow(ServiceUnavailableError);
    await expect(run).rejects.toThrow(/failed to produce an image \(Inference error\)/);
    await expect(run).rejects.not.toThrow(/content filter/);
  });

  it("retries a model that is not ready or timed out, then succeeds", async () => {
    // Prepare
    const { image, mask } = await scene();
    emulator.faults.modelNotReadyNext(1);
    emulator.faults.modelTimeoutNext(1);
    const before = emulator.invocations;
    // Act
    const results = await engineOnEmulator(3).run(eraseRequest(image, mask), quietContext());
    // Assess
    expect(results).toHaveLength(1);
    expect(emulator.invocations - before).toBe(3);
  });

  it("fails clearly when the model keeps timing out", async () => {
    // Prepare
    const { image, mask } = await scene();
    emulator.faults.modelTimeoutNext(2);
    // Act
    const run = engineOnEmulator(2).run(eraseRequest(image, mask), quietContext());
    // Assess
    await expect(run).rejects.toThrow(ServiceUnavailableError);
    await expect(run).rejects.toThrow(/did not answer in time after 2 attempts \(ModelTimeoutException\)/);
  });

  it("passes the service's reason for a validation failure", async () => {
    // Prepare
    const { image, mask } = await scene();
    const engine = createBedrockStabilityEngine({
      client,
      modelIds: { erase: "stability.stable-image-inpaint-v1:0" },
    });
    // Act
    const run = engine.run(eraseRequest(image, mask), quietContext());
    // Assess
    await expect(run).rejects.toThrow(EngineRefusedError);
    await expect(run).rejects.toThrow(/rejected the request: Malformed input request: prompt/);
  });

  it("names the model id, the region and the Marketplace permissions when access is denied", async () => {
    // Prepare
    const { image, mask } = await scene();
    emulator.faults.denyAccessNext();
    // Act
    const run = engineOnEmulator().run(eraseRequest(image, mask), quietContext());
    // Assess
    await expect(run).rejects.toThrow(ServiceUnavailableError);
    await expect(run).rejects.toThrow(/stability\.stable-image-erase-object-v1:0 in region us-east-1/);
    await expect(run).rejects.toThrow(/aws-marketplace:Subscribe and aws-marketplace:ViewSubscriptions/);
  });

  it("fails with a plain error on a malformed answer", async () => {
    // Prepare
    const { image, mask } = await scene();
    emulator.faults.malformedNext();
    // Act
    const run = engineOnEmulator().run(eraseRequest(image, mask), quietContext());
    // Assess
    await expect(run).rejects.toThrow(/not JSON/);
  });

  it("stops waiting when the request is aborted", async () => {
    // Prepare
    const { image, mask } = await scene();
    emulator.faults.slow(2_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("cancelled by the user")), 50);
    // Act
    const run = engineOnEmulator().run(eraseRequest(image, mask), {
      signal: controller.signal,
      onProgress: () => {},
    });
    // Assess
    await expect(run).rejects.toThrow();
    expect(controller.signal.aborted).toBe(true);
  });

  it("invokes the model ids the configuration names, such as cross-region inference profiles", async () => {
    // Prepare: the configured client finds credentials in the environment, as in a deployment.
    vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
    const configured = (erase: string) =>
      createConfiguredEngines({
        engines: ["bedrock-stability"],
        bedrockRegion: "us-east-1",
        bedrockEndpoint: emulator.url,
        bedrockStabilityModelIds: { erase },
      })[0]!;
    const { image, mask } = await scene();
    const request = eraseRequest(image, mask);
    // Act
    const [viaProfile] = await configured("us.stability.stable-image-erase-object-v1:0").run(
      request,
      quietContext(),
    );
    const retired = configured("stability.stable-image-erase-object-v9:0").run(request, quietContext());
    // Assess
    expect(viaProfile!.width).toBe(image.width);
    expect(changedOutsideMask(request, viaProfile!)).toBe(0);
    await expect(retired).rejects.toThrow(/stability\.stable-image-erase-object-v9:0/);
    vi.unstubAllEnvs();
  });
});
