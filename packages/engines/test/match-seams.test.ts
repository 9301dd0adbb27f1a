import { describe, expect, it } from "vitest";
import { matchSeams } from "../src/patch-match/match-seams";
import { CHANNELS, buildPyramid } from "../src/patch-match/pyramid";

const SIDE = 64;
const GRASS = [60, 140, 60];
const RED = [220, 20, 20];

/**
 * Known top half: grass, a red block touching the hole's edge at columns 26–37, and a lit band
 * (grass + 10) at rows 8–15. The hole (bottom half) holds a copy of the lit band, one light
 * change away from the grass it meets.
 */
function copiedFromLitBand() {
  const data = new Uint8Array(SIDE * SIDE * 4);
  const hole = new Uint8Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const i = y * SIDE + x;
      const lit = y >= 8 && y < 16;
      const block = y >= 24 && y < 32 && x >= 26 && x < 38;
      data.set([...(block ? RED : GRASS.map((v) => v + (lit ? 10 : 0))), 255], i * 4);
      if (y >= 32) hole[i] = 1;
    }
  }
  const level = buildPyramid({ width: SIDE, height: SIDE, data, hole, seed: 1 }).levels[0]!;
  const source = new Int32Array(SIDE * SIDE).fill(-1);
  for (let i = 32 * SIDE; i < SIDE * SIDE; i++) {
    const x = i % SIDE;
    const y = Math.floor(i / SIDE);
    source[i] = (9 + (y % 6)) * SIDE + x;
    for (let c = 0; c < 3; c++) level.data[i * CHANNELS + c] = GRASS[c]! + 10;
  }
  return { level, source };
}

describe("matchSeams", () => {
  it("takes the light change out of the copy but spreads no colour from a structure edge", () => {
    // Prepare
    const { level, source } = copiedFromLitBand();

    // Act
    matchSeams(level, source);

    // Assess: the copy meets the grass in brightness everywhere; below the red block it stays
    // grass (spreading the block's edge made it up to 144 levels redder there, and tinted the
    // grass beside it by up to 45).
    let worstShift = 0;
    let reddest = 0;
    for (let y = 32; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) {
        const at = (y * SIDE + x) * CHANNELS;
        const underBlock = x >= 26 && x < 38;
        if (!underBlock) worstShift = Math.max(worstShift, Math.abs(level.data[at + 1]! - GRASS[1]!));
        else reddest = Math.max(reddest, level.data[at]! - GRASS[0]!);
      }
    }
    expect(worstShift).toBeLessThanOrEqual(2);
    expect(reddest).toBeLessThanOrEqual(2);
  });
});
