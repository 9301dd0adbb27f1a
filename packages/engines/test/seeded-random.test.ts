import { describe, expect, it } from "vitest";
import { gaussian, mulberry32 } from "../src/seeded-random";

describe("seeded random numbers", () => {
  it("repeats a sequence for a seed and differs for another", () => {
    // Prepare
    const [a, b, c] = [mulberry32(9), mulberry32(9), mulberry32(10)];

    // Act
    const sequences = [a, b, c].map((random) => Array.from({ length: 5 }, random));

    // Assess
    expect(sequences[0]).toEqual(sequences[1]);
    expect(sequences[0]).not.toEqual(sequences[2]);
    expect(sequences.flat().every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("draws normal samples with mean 0 and deviation 1", () => {
    // Prepare
    const normal = gaussian(mulberry32(123));

    // Act
    const samples = Array.from({ length: 20_000 }, normal);

    // Assess
    const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
    const variance = samples.reduce((s, x) => s + (x - mean) ** 2, 0) / samples.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(variance) - 1)).toBeLessThan(0.03);
  });
});
