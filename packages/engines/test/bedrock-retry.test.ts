import { describe, expect, it } from "vitest";
import { backoffDelay, type RetryPolicy } from "../src/bedrock/retry";

describe("backoffDelay", () => {
  it("doubles the cap on each retry up to the maximum, with full jitter", () => {
    // Prepare
    const top: RetryPolicy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999_999 };
    const bottom: RetryPolicy = { ...top, random: () => 0 };
    // Act
    const highest = [0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(top, retry));
    const lowest = [0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(bottom, retry));
    // Assess
    expect(highest).toEqual([99, 199, 399, 799, 999, 999]);
    expect(lowest).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
