import { describe, expect, it } from "vitest";
import { createLevelState, runBandTask, BANDS } from "../src/patch-match/band-tasks";
import { buildPyramid, holeDistances, targetPixels } from "../src/patch-match/pyramid";

/** A flat grey 40×40 image with a 16×16 hole whose top-left corner is at (12, 12). */
function boxLevel() {
  const side = 40;
  const data = new Uint8Array(side * side * 4).fill(128);
  const hole = new Uint8Array(side * side);
  for (let y = 12; y < 28; y++) hole.fill(1, y * side + 12, y * side + 28);
  return { side, level: buildPyramid({ width: side, height: side, data, hole, seed: 1 }).levels[0]! };
}

describe("holeDistances", () => {
  it("gives each hole pixel its chessboard distance to the nearest known pixel", () => {
    // Prepare
    const { side, level } = boxLevel();

    // Act
    const depth = holeDistances(side, side, level.hole);

    // Assess
    expect(depth[5 * side + 5]).toBe(0);
    expect(depth[12 * side + 12]).toBe(1);
    expect(depth[13 * side + 20]).toBe(2);
    expect(depth[19 * side + 19]).toBe(8);
  });
});

describe("vote confidence", () => {
  it("trusts patches centred outside the hole fully and ones deeper inside less", () => {
    // Prepare, Act: the pyramid gives each level its confidence.
    const { side, level } = boxLevel();

    // Assess
    const at = (x: number, y: number) => level.confidence[y * side + x]!;
    expect(level.depth).toBe(8);
    expect(at(10, 20)).toBe(1);
    expect(at(12, 20)).toBeLessThan(1);
    expect(at(14, 20)).toBeLessThan(at(12, 20));
    expect(at(19, 19)).toBeLessThan(at(14, 20));
    expect(at(19, 19)).toBeGreaterThan(0);
  });

  it("scales every target's vote weight by its confidence", () => {
    // Prepare
    const { side, level } = boxLevel();
    const state = createLevelState(level, targetPixels(level), 1, 0);

    // Act
    for (let band = 0; band < BANDS; band++)
      runBandTask(state, { kind: "weights", weighted: false, scale: 1 }, band);

    // Assess: with equal match distances, the weights are the confidences themselves.
    for (const p of [20 * side + 9, 20 * side + 12, 19 * side + 19]) {
      expect(state.weight[p]).toBe(state.level.confidence[p]);
    }
    expect(state.weight[19 * side + 19]).toBeLessThan(state.weight[20 * side + 9]!);
  });
});

describe("source penalty", () => {
  it("adds each source patch's penalty to the distances of the matches that use it", () => {
    // Prepare: every target matched to one known patch, charged 500.
    const { level } = boxLevel();
    const source = level.validList[0]!;
    const penalty = new Float32Array(level.width * level.height);
    penalty[source] = 500;
    const plain = createLevelState(level, targetPixels(level), 1, 0);
    const charged = createLevelState(level, targetPixels(level), 1, 0, penalty);
    for (const state of [plain, charged]) state.field.fill(source);

    // Act
    for (const state of [plain, charged]) {
      for (let band = 0; band < BANDS; band++)
        runBandTask(state, { kind: "distances", knownFirst: false }, band);
    }

    // Assess
    for (const p of plain.targets) expect(charged.dist[p]).toBe(plain.dist[p]! + 500);
  });
});
