import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { fillInWorker } from "../src/patch-match/run-in-worker";
import { maskOf, photoRaster } from "./fixtures";

/** A fill input: a photo with a box hole, big enough that a fill takes a moment. */
async function boxFill(size: number, seed: number) {
  const photo = await photoRaster("fruits.jpg", size, size);
  const mask = maskOf(photo, (x, y) => x >= size / 4 && x < size / 2 && y >= size / 4 && y < size / 2);
  return { width: size, height: size, data: photo.data, hole: mask.data, seed };
}

describe("fill threads across jobs", () => {
  it("lets a second fill start only once the first gives its threads back, when the first uses every core", async () => {
    // Prepare
    const cores = availableParallelism();
    const [first, second] = await Promise.all([boxFill(256, 1), boxFill(256, 2)]);
    const events: string[] = [];

    // Act
    const a = fillInWorker(first, AbortSignal.timeout(60_000), () => {}, cores).then(() =>
      events.push("first done"),
    );
    const b = fillInWorker(second, AbortSignal.timeout(60_000), () => {
      if (!events.includes("second started")) events.push("second started");
    }).then(() => events.push("second done"));
    await Promise.all([a, b]);

    // Assess
    expect(events).toEqual(["first done", "second started", "second done"]);
  });

  it("rejects a waiting fill with its signal's reason when it is canceled before it gets threads", async () => {
    // Prepare
    const cores = availableParallelism();
    const [first, second] = await Promise.all([boxFill(256, 3), boxFill(64, 4)]);
    const controller = new AbortController();
    const running = fillInWorker(first, AbortSignal.timeout(60_000), () => {}, cores);

    // Act
    const waiting = fillInWorker(second, controller.signal, () => {});
    controller.abort(new Error("canceled while waiting"));

    // Assess
    await expect(waiting).rejects.toThrow("canceled while waiting");
    await expect(running).resolves.toBeInstanceOf(Uint8Array);
    // The budget is whole again: a fill after both runs at once.
    await expect(fillInWorker(second, AbortSignal.timeout(60_000), () => {}, cores)).resolves.toBeInstanceOf(
      Uint8Array,
    );
  });
});
