import { describe, expect, it } from "vitest";
import {
  contextCost,
  dominantOffsets,
  matchKnownPatches,
  rarityPenalty,
} from "../src/patch-match/self-similarity";
import { onionMatch } from "../src/patch-match/onion-match";
import { CHANNELS, buildPyramid } from "../src/patch-match/pyramid";
import { mulberry32 } from "../src/seeded-random";

/** A `side`² image of random grey noise, its tile repeating every `period` pixels, with a hole. */
function noise(side: number, period: number, hole: (x: number, y: number) => boolean) {
  const random = mulberry32(3);
  const tile = Array.from({ length: period * period }, () => Math.floor(random() * 256));
  const data = new Uint8Array(side * side * 4);
  const mask = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const value = tile[(y % period) * period + (x % period)]!;
      data.set([value, value, value, 255], (y * side + x) * 4);
      if (hole(x, y)) mask[y * side + x] = 1;
    }
  }
  return buildPyramid({ width: side, height: side, data, hole: mask, seed: 1 }).levels[0]!;
}

describe("dominantOffsets", () => {
  it("finds the period a texture repeats by", () => {
    // Prepare: noise repeating every 24 px, a 12×12 hole.
    const level = noise(96, 24, (x, y) => x >= 40 && x < 52 && y >= 40 && y < 52);

    // Act
    const offsets = dominantOffsets(matchKnownPatches(level, mulberry32(1)));

    // Assess: the most frequent offsets are whole periods (the only exact repeats).
    expect(offsets.length).toBeGreaterThanOrEqual(8);
    for (let o = 0; o < 8; o += 2) {
      expect([offsets[o]! % 24, offsets[o + 1]! % 24].map(Math.abs)).toEqual([0, 0]);
      expect(offsets[o] || offsets[o + 1]).not.toBe(0);
    }
  });

  it("is the same for the same random stream", () => {
    // Prepare
    const level = noise(64, 16, (x, y) => x >= 20 && x < 30 && y >= 20 && y < 30);

    // Act
    const first = dominantOffsets(matchKnownPatches(level, mulberry32(9)));
    const second = dominantOffsets(matchKnownPatches(level, mulberry32(9)));

    // Assess
    expect(Array.from(first)).toEqual(Array.from(second));
  });

  it("returns nothing when no patch lies wholly outside the hole", () => {
    // Prepare
    const level = noise(16, 4, () => true);

    // Act / Assess
    expect(dominantOffsets(matchKnownPatches(level, mulberry32(1))).length).toBe(0);
  });
});

describe("rarityPenalty", () => {
  it("charges the patches of a one-off object and not those of the repeated texture", () => {
    // Prepare: noise repeating every 16 px, one 10×10 white square at (70, 70), a hole elsewhere.
    const level = noise(96, 16, (x, y) => x >= 10 && x < 22 && y >= 10 && y < 22);
    for (let y = 70; y < 80; y++) {
      for (let x = 70; x < 80; x++)
        level.data.fill(255, (y * 96 + x) * CHANNELS, (y * 96 + x) * CHANNELS + 3);
    }

    // Act: measured and applied on the same level (scale 1).
    const penalty = rarityPenalty(matchKnownPatches(level, mulberry32(1)), level, 1);

    // Assess
    expect(penalty[75 * 96 + 75]).toBeGreaterThan(0);
    expect(penalty[40 * 96 + 40]).toBe(0);
  });
});

describe("contextCost", () => {
  it("charges what does not look like the hole's surroundings, and nothing for what does", () => {
    // Prepare: noise repeating every 16 px, a hole along the left edge (margins grown there),
    // and a white 10×10 square far from it.
    const level = noise(96, 16, (x) => x < 12);
    for (let y = 60; y < 70; y++) {
      for (let x = 70; x < 80; x++)
        level.data.fill(255, (y * 96 + x) * CHANNELS, (y * 96 + x) * CHANNELS + 3);
    }

    // Act: measured and applied on the same level (scale 1).
    const cost = contextCost(level, mulberry32(1), level, 1);

    // Assess: the square pays; the same noise well away from the hole costs (next to) nothing,
    // and so do the hole's surroundings themselves.
    expect(cost[65 * 96 + 75]).toBeGreaterThan(1000);
    expect(cost[40 * 96 + 50]).toBeLessThan(1);
    expect(cost[40 * 96 + 17]).toBe(0);
  });
});

describe("onionMatch with offsets", () => {
  it("copies the hole only by the offsets it is given", () => {
    // Prepare: non-repeating noise, so random candidates would each land somewhere else.
    const level = noise(64, 64, (x, y) => x >= 30 && x < 44 && y >= 24 && y < 38);
    const before = level.data.slice();

    // Act
    onionMatch(level, mulberry32(1), Int32Array.from([-20, 3]));

    // Assess: every hole pixel is the pixel 20 left and 3 down of it.
    let wrong = 0;
    for (let y = 24; y < 38; y++) {
      for (let x = 30; x < 44; x++) {
        const from = ((y + 3) * 64 + x - 20) * CHANNELS;
        if (level.data[(y * 64 + x) * CHANNELS] !== before[from]) wrong++;
      }
    }
    expect(wrong).toBe(0);
  });
});
