import { describe, expect, it } from "vitest";
import { onionMatch } from "../src/patch-match/onion-match";
import { CHANNELS, buildPyramid } from "../src/patch-match/pyramid";
import { mulberry32 } from "../src/seeded-random";

/** 64×64 vertical stripes, 4 px period (dark, dark, light, light), with a 20×20 hole in the middle. */
function stripesWithHole() {
  const side = 64;
  const data = new Uint8Array(side * side * 4);
  const hole = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = y * side + x;
      const value = x % 4 < 2 ? 40 : 200;
      data.set([value, value, value, 255], i * 4);
      if (x >= 22 && x < 42 && y >= 22 && y < 42) {
        hole[i] = 1;
        data.set([255, 0, 200, 255], i * 4);
      }
    }
  }
  return { side, data, hole };
}

describe("onionMatch", () => {
  it("continues the surrounding texture into the hole instead of averaging it", () => {
    // Prepare
    const { side, data, hole } = stripesWithHole();
    const level = buildPyramid({ width: side, height: side, data, hole, seed: 1 }).levels[0]!;

    // Act
    onionMatch(level, mulberry32(1));

    // Assess: every hole pixel carries its column's stripe, not a grey in between.
    let wrong = 0;
    for (let y = 22; y < 42; y++) {
      for (let x = 22; x < 42; x++) {
        if (level.data[(y * side + x) * CHANNELS] !== (x % 4 < 2 ? 40 : 200)) wrong++;
      }
    }
    expect(wrong).toBe(0);
  });

  it("leaves known pixels alone and gives the same guess for the same random stream", () => {
    // Prepare
    const { side, data, hole } = stripesWithHole();
    const first = buildPyramid({ width: side, height: side, data, hole, seed: 1 }).levels[0]!;
    const second = buildPyramid({ width: side, height: side, data, hole, seed: 1 }).levels[0]!;
    const before = first.data.slice();

    // Act
    onionMatch(first, mulberry32(5));
    onionMatch(second, mulberry32(5));

    // Assess
    expect(Buffer.from(first.data).equals(Buffer.from(second.data))).toBe(true);
    for (let i = 0; i < side * side; i++) {
      if (hole[i]) continue;
      expect(first.data.subarray(i * CHANNELS, i * CHANNELS + CHANNELS)).toEqual(
        before.subarray(i * CHANNELS, i * CHANNELS + CHANNELS),
      );
    }
  });
});
