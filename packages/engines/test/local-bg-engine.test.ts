import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EngineRefusedError, type RasterImage } from "@retouch/core";
import { runEnginePipeline } from "@retouch/imaging";
import { beforeAll, describe, expect, it } from "vitest";
import { createLocalBackgroundRemovalEngine } from "../src";
import { IMGLY_PUBLIC_PATH, MatteWorkerClient } from "../src/local-bg/matte-worker-client";
import { photoRaster, quietContext } from "./fixtures";

/** Share of the pixels in the box [x0, x1) × [y0, y1) (fractions of the size) with alpha above 127. */
function opaqueShare(image: RasterImage, x0: number, x1: number, y0: number, y1: number): number {
  let opaque = 0;
  let all = 0;
  for (let y = Math.floor(y0 * image.height); y < Math.floor(y1 * image.height); y++) {
    for (let x = Math.floor(x0 * image.width); x < Math.floor(x1 * image.width); x++) {
      all++;
      if (image.data[(y * image.width + x) * 4 + 3]! > 127) opaque++;
    }
  }
  return opaque / all;
}

describe("local-bg engine", () => {
  // A short idle timeout, so the test can see the thread (and the model's memory) go.
  const client = new MatteWorkerClient("medium", 1500);
  const engine = createLocalBackgroundRemovalEngine({ client });
  let source: RasterImage;
  let result: RasterImage;
  let maxLagMs = 0;

  beforeAll(async () => {
    // Prepare: a squirrel on a branch in front of blurred leaves, through the edit pipeline
    // (no mask, so nothing is composited back over the cut-out). One run serves every check:
    // the model costs tens of CPU-seconds on this machine.
    source = await photoRaster("squirrel_cls.jpg");
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxLagMs = Math.max(maxLagMs, now - last - 25);
      last = now;
    }, 25);
    try {
      // Act
      [result] = (await runEnginePipeline({
        engine,
        operation: "remove-background",
        source,
        mask: null,
        margins: null,
        prompt: null,
        negativePrompt: null,
        count: 1,
        seed: 0,
        options: {},
        signal: AbortSignal.timeout(600_000),
        onProgress: () => {},
      })) as [RasterImage];
    } finally {
      clearInterval(timer);
    }
  }, 600_000);

  it("keeps the size and the subject's colours, and makes the background transparent", () => {
    // Assess
    expect([result.width, result.height]).toEqual([source.width, source.height]);
    // The leaves along the top and the left edge, and the branch at the bottom right, are background.
    expect(opaqueShare(result, 0, 1, 0, 0.1)).toBeLessThan(0.05);
    expect(opaqueShare(result, 0, 0.1, 0, 1)).toBeLessThan(0.05);
    expect(opaqueShare(result, 0.8, 1, 0.7, 1)).toBeLessThan(0.05);
    // The squirrel's body and head, around the image centre, are the subject.
    expect(opaqueShare(result, 0.35, 0.5, 0.45, 0.7)).toBeGreaterThan(0.95);
    expect(opaqueShare(result, 0.55, 0.62, 0.35, 0.45)).toBeGreaterThan(0.95);
    let recoloured = 0;
    for (let i = 0; i < source.data.length; i += 4) {
      for (let c = 0; c < 3; c++) if (result.data[i + c] !== source.data[i + c]) recoloured++;
    }
    expect(recoloured).toBe(0);
  });

  it("keeps the event loop free while the model runs (it runs in a worker thread)", () => {
    // Assess: inference alone takes seconds of CPU; the main thread never waited that long.
    expect(maxLagMs).toBeLessThan(3000);
  });

  it("ends its worker thread, freeing the model, once idle for idleTimeoutMs", async () => {
    // Assess
    expect(client.threadRunning).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(client.threadRunning).toBe(false);
  });

  it("loads its model from the installed package's files, never from the network", () => {
    // Assess
    expect(IMGLY_PUBLIC_PATH.startsWith("file://")).toBe(true);
    expect(existsSync(fileURLToPath(new URL("resources.json", IMGLY_PUBLIC_PATH)))).toBe(true);
  });

  it("stops at once when aborted, ending its worker thread", async () => {
    // Prepare: a separate engine, so its worker (killed here) is not the one the other tests use.
    const own = createLocalBackgroundRemovalEngine();
    const image = await photoRaster("squirrel_cls.jpg", 64, 64);
    const controller = new AbortController();
    const started = Date.now();

    // Act
    const attempt = own.run(
      {
        operation: "remove-background",
        image,
        mask: null,
        prompt: null,
        negativePrompt: null,
        count: 1,
        seed: 0,
        options: {},
      },
      { signal: controller.signal, onProgress: () => {} },
    );
    setTimeout(() => controller.abort(new Error("user canceled")), 50);

    // Assess
    await expect(attempt).rejects.toThrow("user canceled");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("refuses what it cannot do before loading anything", async () => {
    // Prepare
    const image = await photoRaster("squirrel_cls.jpg", 64, 64);
    const request = {
      operation: "remove-background" as const,
      image,
      mask: null,
      prompt: null,
      negativePrompt: null,
      count: 1,
      seed: 0,
      options: {},
    };

    // Act
    const attempts = [
      engine.run({ ...request, count: 2 }, quietContext()),
      engine.run({ ...request, operation: "erase" }, quietContext()),
      engine.run({ ...request, image: null }, quietContext()),
    ];

    // Assess
    for (const attempt of attempts) await expect(attempt).rejects.toThrow(EngineRefusedError);
    expect(engine.capabilities).toMatchObject({ operations: ["remove-background"], usesPrompt: false });
  });
});
