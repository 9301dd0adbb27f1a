import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { hasSyntheticLabel, syntheticGradient, syntheticTint } from "../src/synthetic-image";
import { photoPath } from "../../../test/photos";

const PHOTO = photoPath("fruits.jpg");

async function photo(width: number, height: number) {
  const data = await sharp(PHOTO).resize(width, height, { fit: "fill" }).ensureAlpha().raw().toBuffer();
  return { width, height, data: new Uint8Array(data) };
}

describe("synthetic images", () => {
  it("labels a tint and a gradient, and a real photo carries no label", async () => {
    // Prepare
    const source = await photo(320, 200);
    // Act
    const tinted = syntheticTint(source, "replace:a cat");
    const painted = syntheticGradient(640, 384, "a lighthouse#1");
    // Assess
    expect(hasSyntheticLabel(tinted)).toBe(true);
    expect(hasSyntheticLabel(painted)).toBe(true);
    expect(hasSyntheticLabel(source)).toBe(false);
  });

  it("keeps the label readable at any size and leaves the rest of the picture derived from the request", async () => {
    // Prepare
    const small = await photo(64, 64);
    const large = await photo(1024, 768);
    // Act
    const a = syntheticTint(large, "k");
    const b = syntheticTint(large, "k");
    const c = syntheticTint(large, "other");
    const tiny = syntheticTint(small, "k");
    // Assess: 1024×768 gets 6 px cells, so the label band is 55 px tall.
    expect(hasSyntheticLabel(a)).toBe(true);
    expect(hasSyntheticLabel(tiny)).toBe(true);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    const below = (image: { data: Uint8Array }) => image.data.subarray(1024 * 4 * 60);
    expect(Buffer.from(below(a)).equals(Buffer.from(below(c)))).toBe(false);
    expect(a.data[(6 * 1024 + 12) * 4]).toBe(255); // a lit cell of the S
    expect(a.data[(6 * 1024 + 6) * 4]).toBe(0); // the S's unlit top-left corner
  });
});
