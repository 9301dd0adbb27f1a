import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { UnsupportedMediaTypeError } from "@retouch/core";
import { decodeRaster, encodePng } from "@retouch/imaging";
import { differingBytes, photo, rejectionOf, rgbaOf } from "./photos";

describe("decodeRaster and encodePng", () => {
  it("decodes a greyscale photo to RGBA and encodes it back without loss", async () => {
    // Prepare: basketball1.png is single-channel
    const bytes = await photo("basketball1.png");

    // Act
    const raster = await decodeRaster(bytes);
    const png = await encodePng(raster);

    // Assess
    expect([raster.width, raster.height, raster.data.length]).toEqual([640, 480, 640 * 480 * 4]);
    const i = (240 * 640 + 320) * 4;
    expect(raster.data[i]).toBe(raster.data[i + 1]);
    expect(raster.data[i + 3]).toBe(255);
    expect((await sharp(png).metadata()).format).toBe("png");
    expect(differingBytes((await rgbaOf(png)).data, raster.data)).toBe(0);
  });

  it("applies the EXIF orientation", async () => {
    // Prepare
    const bytes = await sharp(await photo("messi5.jpg"))
      .withMetadata({ orientation: 8 })
      .jpeg()
      .toBuffer();

    // Act
    const raster = await decodeRaster(bytes);

    // Assess: 548×342 stored, 342×548 upright
    expect([raster.width, raster.height]).toEqual([342, 548]);
  });

  it("refuses a truncated file", async () => {
    // Prepare
    const bytes = (await photo("baboon.jpg")).subarray(0, 90_000);

    // Act
    const error = await rejectionOf(decodeRaster(bytes));

    // Assess
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
  });
});
