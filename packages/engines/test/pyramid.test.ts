import { describe, expect, it } from "vitest";
import { forEachRing } from "../src/patch-match/pyramid";

describe("forEachRing", () => {
  it("visits a hole from its edge inwards, one ring at a time, each from pixels already known", () => {
    // Prepare: a 7×7 image with a 5×5 hole in the middle.
    const side = 7;
    const unknown = new Uint8Array(side * side);
    for (let y = 1; y < 6; y++) unknown.fill(1, y * side + 1, y * side + 6);
    const rings: number[][] = [];
    const ringAlreadyKnown: boolean[] = [];

    // Act
    forEachRing({ width: side, height: side }, unknown, (ring, length) => {
      const pixels = Array.from(ring.subarray(0, length));
      rings.push(pixels);
      ringAlreadyKnown.push(pixels.some((p) => !unknown[p]));
    });

    // Assess
    expect(rings.map((ring) => ring.length)).toEqual([16, 8, 1]);
    expect(rings[2]).toEqual([3 * side + 3]);
    expect(ringAlreadyKnown).toEqual([false, false, false]);
    expect(unknown.every((value) => value === 0)).toBe(true);
  });

  it("leaves a hole with no known pixel at all unvisited", () => {
    // Prepare
    const unknown = new Uint8Array(9).fill(1);
    let visits = 0;

    // Act
    forEachRing({ width: 3, height: 3 }, unknown, () => visits++);

    // Assess
    expect(visits).toBe(0);
    expect(unknown.every((value) => value === 1)).toBe(true);
  });
});
