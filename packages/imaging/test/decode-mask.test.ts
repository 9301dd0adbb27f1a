import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from "@retouch/core";
import { decodeMask, encodeMaskPng, maskCoverage } from "@retouch/imaging";
import { differingBytes, photo, rejectionOf } from "./photos";

const limits = { maxBytes: 25 * 1024 * 1024, maxPixels: 40_000_000 };

/** A greyscale PNG whose columns cycle through `levels`. */
function greyColumns(width: number, height: number, levels: number[]): Promise<Buffer> {
  const raw = Buffer.alloc(width * height);
  for (let i = 0; i < raw.length; i++) raw[i] = levels[(i % width) % levels.length]!;
  return sharp(raw, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

describe("decodeMask", () => {
  it("binarises a luminance mask at 50 %: 127 is not painted, 128 is", async () => {
    // Prepare
    const bytes = await greyColumns(8, 4, [0, 127, 128, 255]);

    // Act
    const mask = await decodeMask(bytes, { width: 8, height: 4 }, limits);

    // Assess
    expect([mask.width, mask.height]).toEqual([8, 4]);
    expect([...mask.data.subarray(0, 8)]).toEqual([0, 0, 255, 255, 0, 0, 255, 255]);
    expect(maskCoverage(mask)).toBe(0.5);
  });

  it("reads a mask with transparency by its alpha, whatever its colour", async () => {
    // Prepare: white everywhere (luminance would paint it all); alpha 0, 127, 128, 255 by column
    const alpha = [0, 127, 128, 255];
    const raw = Buffer.alloc(8 * 2 * 4, 255);
    for (let i = 0; i < 16; i++) raw[i * 4 + 3] = alpha[(i % 8) % 4]!;
    const bytes = await sharp(raw, { raw: { width: 8, height: 2, channels: 4 } })
      .png()
      .toBuffer();

    // Act
    const mask = await decodeMask(bytes, { width: 8, height: 2 }, limits);

    // Assess
    expect([...mask.data.subarray(0, 8)]).toEqual([0, 0, 255, 255, 0, 0, 255, 255]);
  });

  it("reads an opaque colour mask by luminance (pure green is bright, pure blue dark)", async () => {
    // Prepare: Rec. 709 luminance of green is 182, of blue 18, of red 54
    const raw = Buffer.from([0, 255, 0, 255, 0, 0, 255, 255, 255, 0, 0, 255, 255, 255, 255, 255]);
    const bytes = await sharp(raw, { raw: { width: 4, height: 1, channels: 4 } })
      .png()
      .toBuffer();

    // Act
    const mask = await decodeMask(bytes, { width: 4, height: 1 }, limits);

    // Assess
    expect([...mask.data]).toEqual([255, 0, 0, 255]);
  });

  it("applies the EXIF orientation before comparing sizes and reading pixels", async () => {
    // Prepare: 40×20 JPEG, white left half, tagged "rotate 90° clockwise"
    const raw = Buffer.alloc(40 * 20);
    for (let i = 0; i < raw.length; i++) raw[i] = i % 40 < 20 ? 255 : 0;
    const bytes = await sharp(raw, { raw: { width: 40, height: 20, channels: 1 } })
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();

    // Act
    const mask = await decodeMask(bytes, { width: 20, height: 40 }, limits);

    // Assess: upright, the painted half is on top
    expect([mask.width, mask.height]).toEqual([20, 40]);
    expect(mask.data[5 * 20 + 10]).toBe(255);
    expect(mask.data[35 * 20 + 10]).toBe(0);
  });

  it("refuses a mask of another size, naming both sizes", async () => {
    // Prepare
    const bytes = await greyColumns(100, 80, [255]);

    // Act
    const error = await rejectionOf(decodeMask(bytes, { width: 200, height: 160 }, limits));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(
      "The mask is 100×80 but the image is 200×160; they must be the same size",
    );
  });

  it("applies the intake rules: format and limits", async () => {
    // Prepare
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fff" } })
      .gif()
      .toBuffer();
    const jpeg = await photo("fruits.jpg");

    // Act
    const errors = await Promise.all([
      rejectionOf(decodeMask(gif, { width: 8, height: 8 }, limits)),
      rejectionOf(decodeMask(jpeg, { width: 512, height: 480 }, { ...limits, maxBytes: 1024 })),
      rejectionOf(decodeMask(jpeg, { width: 512, height: 480 }, { ...limits, maxPixels: 1000 })),
      rejectionOf(decodeMask(jpeg.subarray(0, 40_000), { width: 512, height: 480 }, limits)),
    ]);

    // Assess
    expect(errors.map((e) => e?.constructor)).toEqual([
      UnsupportedMediaTypeError,
      PayloadTooLargeError,
      PayloadTooLargeError,
      UnsupportedMediaTypeError,
    ]);
  });
});

describe("maskCoverage and encodeMaskPng", () => {
  it("measures the painted fraction and round-trips through a greyscale PNG", async () => {
    // Prepare: the top quarter painted
    const data = new Uint8Array(16 * 16);
    data.fill(255, 0, 64);
    const mask = { width: 16, height: 16, data };

    // Act
    const png = await encodeMaskPng(mask);
    const decoded = await decodeMask(png, mask, limits);

    // Assess
    expect(maskCoverage(mask)).toBe(0.25);
    expect(maskCoverage({ width: 16, height: 16, data: new Uint8Array(256) })).toBe(0);
    expect((await sharp(png).metadata()).channels).toBe(1);
    expect(differingBytes(decoded.data, data)).toBe(0);
  });
});
