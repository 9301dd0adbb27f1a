import { describe, expect, it } from "vitest";
import { labelByOffsets } from "../src/patch-match/offset-labelling";
import { CHANNELS, buildPyramid } from "../src/patch-match/pyramid";
import { mulberry32 } from "../src/seeded-random";

const SIDE = 96;
const PERIOD = 24;
const inHole = (x: number, y: number) => x >= 40 && x < 60 && y >= 36 && y < 56;

/** Grey noise repeating every `PERIOD` pixels with a 20×20 hole, and the noise's true values. */
function periodicNoise() {
  const random = mulberry32(3);
  const tile = Array.from({ length: PERIOD * PERIOD }, () => Math.floor(random() * 256));
  const data = new Uint8Array(SIDE * SIDE * 4);
  const hole = new Uint8Array(SIDE * SIDE);
  const truth = new Uint8Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const value = tile[(y % PERIOD) * PERIOD + (x % PERIOD)]!;
      truth[y * SIDE + x] = value;
      data.set([value, value, value, 255], (y * SIDE + x) * 4);
      if (inHole(x, y)) hole[y * SIDE + x] = 1;
    }
  }
  return { level: buildPyramid({ width: SIDE, height: SIDE, data, hole, seed: 1 }).levels[0]!, truth };
}

describe("labelByOffsets", () => {
  it("joins copies where they agree, so a repeating texture comes back exactly", () => {
    // Prepare: an offset that is not a period comes first (every pixel starts with it), then
    // whole periods; any mix of periods continues the texture seamlessly.
    const { level, truth } = periodicNoise();
    const offsets = Int32Array.from([-31, 5, PERIOD, 0, -PERIOD, 0, 0, PERIOD]);

    // Act
    const source = labelByOffsets(level, offsets, mulberry32(1));

    // Assess
    let wrong = 0;
    for (let p = 0; p < SIDE * SIDE; p++) {
      if (!level.hole[p]) continue;
      expect(source[p]).toBeGreaterThanOrEqual(0);
      if (level.data[p * CHANNELS] !== truth[p]) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it("copies from where its sources cost least when the seams are equally good", () => {
    // Prepare: two whole periods continue the texture equally well; sources right of x = 60 cost.
    const { level } = periodicNoise();
    const offsets = Int32Array.from([PERIOD, 0, -PERIOD, 0]);
    const sourceCost = new Float32Array(SIDE * SIDE).map((_, q) => (q % SIDE >= 60 ? 1000 : 0));

    // Act
    const source = labelByOffsets(level, offsets, mulberry32(1), sourceCost);

    // Assess: every hole pixel copies from the left (by −PERIOD), none from the costly right.
    for (let p = 0; p < SIDE * SIDE; p++) if (level.hole[p]) expect(source[p]).toBe(p - PERIOD);
  });

  it("leaves the pixels no offset reaches to the caller", () => {
    // Prepare: a 5 px shift reaches known pixels only from the hole's last five columns.
    const { level } = periodicNoise();
    const before = level.data.slice();

    // Act
    const source = labelByOffsets(level, Int32Array.from([5, 0]), mulberry32(1));

    // Assess
    for (let y = 36; y < 56; y++) {
      for (let x = 40; x < 60; x++) {
        const p = y * SIDE + x;
        if (x < 55) {
          expect(source[p]).toBe(-1);
          expect(level.data[p * CHANNELS]).toBe(before[p * CHANNELS]);
        } else expect(source[p]).toBe(p + 5);
      }
    }
    expect(source[10]).toBe(-1);
  });

  it("leaves a hole too large for its cuts to the caller", () => {
    // Prepare: a 72×72 hole (5184 pixels) in a 160² image.
    const side = 160;
    const data = new Uint8Array(side * side * 4).map((_, i) => (i * 37) % 251);
    const hole = new Uint8Array(side * side).map((_, p) =>
      p % side >= 40 && p % side < 112 && p >= 40 * side && p < 112 * side ? 1 : 0,
    );
    const level = buildPyramid({ width: side, height: side, data, hole, seed: 1 }).levels[0]!;
    const before = level.data.slice();

    // Act
    const source = labelByOffsets(level, Int32Array.from([80, 0, -80, 0]), mulberry32(1));

    // Assess
    expect(source.every((q) => q === -1)).toBe(true);
    expect(Array.from(level.data)).toEqual(Array.from(before));
  });

  it("gives the same labelling for the same random stream", () => {
    // Prepare: offsets that are not periods, so the seams decide.
    const offsets = Int32Array.from([-31, 5, 27, -3, 2, 33, -7, -29]);

    // Act
    const first = labelByOffsets(periodicNoise().level, offsets, mulberry32(4));
    const second = labelByOffsets(periodicNoise().level, offsets, mulberry32(4));

    // Assess
    expect(Array.from(second)).toEqual(Array.from(first));
  });
});
