import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { PayloadTooLargeError, UnsupportedMediaTypeError } from "@retouch/core";
import { normalizeUpload } from "@retouch/imaging";
import { differingBytes, photo, pixelAt, rejectionOf, rgbaOf } from "./photos";

const limits = { maxBytes: 25 * 1024 * 1024, maxPixels: 40_000_000 };

describe("normalizeUpload: accepted formats", () => {
  it("keeps a PNG lossless, with its size and content type", async () => {
    // Prepare
    const bytes = await photo("butterfly.png");

    // Act
    const image = await normalizeUpload(bytes, limits);

    // Assess
    expect(image).toMatchObject({ format: "png", contentType: "image/png", width: 256, height: 256 });
    expect(differingBytes((await rgbaOf(image.data)).data, (await rgbaOf(bytes)).data)).toBe(0);
  });

  it("re-encodes a JPEG as a JPEG close to the original and without EXIF or ICC", async () => {
    // Prepare: board.jpg carries EXIF and an ICC profile
    const bytes = await photo("board.jpg");
    const before = await sharp(bytes).metadata();

    // Act
    const image = await normalizeUpload(bytes, limits);

    // Assess
    expect(before.exif && before.icc).toBeTruthy();
    expect(image).toMatchObject({ format: "jpeg", contentType: "image/jpeg", width: 640, height: 480 });
    const after = await sharp(image.data).metadata();
    expect(after.format).toBe("jpeg");
    expect([after.exif, after.icc, after.xmp, after.orientation]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const [a, b] = [await rgbaOf(bytes), await rgbaOf(image.data)];
    let difference = 0;
    for (let i = 0; i < a.data.length; i++) difference += Math.abs(a.data[i]! - b.data[i]!);
    expect(difference / a.data.length).toBeLessThan(2);
  });

  it("keeps a lossless WebP lossless", async () => {
    // Prepare
    const bytes = await sharp(await photo("butterfly.png"))
      .webp({ lossless: true })
      .toBuffer();

    // Act
    const image = await normalizeUpload(bytes, limits);

    // Assess
    expect(image).toMatchObject({ format: "webp", contentType: "image/webp", width: 256, height: 256 });
    expect(image.data.subarray(12, 16).toString("latin1")).toBe("VP8L");
    expect(differingBytes((await rgbaOf(image.data)).data, (await rgbaOf(bytes)).data)).toBe(0);
  });

  it("re-encodes a lossy WebP as a lossy WebP", async () => {
    // Prepare
    const bytes = await sharp(await photo("fruits.jpg"))
      .webp({ quality: 70 })
      .toBuffer();

    // Act
    const image = await normalizeUpload(bytes, limits);

    // Assess
    expect(image).toMatchObject({ format: "webp", width: 512, height: 480 });
    expect(image.data.subarray(12, 16).toString("latin1")).toBe("VP8 ");
  });

  it("turns the pixels upright by the EXIF orientation and drops the tag", async () => {
    // Prepare: 40×20, left half red, right half blue, tagged "rotate 90° clockwise to display"
    const raw = Buffer.alloc(40 * 20 * 3);
    for (let i = 0; i < 40 * 20; i++) raw.set(i % 40 < 20 ? [255, 0, 0] : [0, 0, 255], i * 3);
    const bytes = await sharp(raw, { raw: { width: 40, height: 20, channels: 3 } })
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();

    // Act
    const image = await normalizeUpload(bytes, limits);

    // Assess: upright it is 20×40 with the red half on top
    expect([image.width, image.height]).toEqual([20, 40]);
    const metadata = await sharp(image.data).metadata();
    expect([metadata.width, metadata.height, metadata.orientation, metadata.exif]).toEqual([
      20,
      40,
      undefined,
      undefined,
    ]);
    const upright = await rgbaOf(image.data);
    expect(pixelAt(upright, 10, 5)[0]).toBeGreaterThan(200);
    expect(pixelAt(upright, 10, 35)[2]).toBeGreaterThan(200);
  });

  it("converts colours from an embedded ICC profile to sRGB", async () => {
    // Prepare: sRGB (200, 100, 50) stored as Display P3 numbers with the P3 profile attached
    const bytes = await sharp({
      create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 100, b: 50 } },
    })
      .withIccProfile("p3")
      .png()
      .toBuffer();
    const stored = await sharp(bytes, { ignoreIcc: true }).raw().toBuffer();

    // Act
    const image = await normalizeUpload(bytes, limits);

    // Assess
    expect((await sharp(image.data).metadata()).icc).toBeUndefined();
    const [r, g, b] = pixelAt(await rgbaOf(image.data), 4, 4);
    expect(Math.abs(r! - 200) + Math.abs(g! - 100) + Math.abs(b! - 50)).toBeLessThanOrEqual(4);
    expect(
      Math.abs(stored[0]! - 200) + Math.abs(stored[1]! - 100) + Math.abs(stored[2]! - 50),
    ).toBeGreaterThan(10);
  });
});

describe("normalizeUpload: refused files", () => {
  const tiny = (background = "#3366cc") =>
    sharp({ create: { width: 16, height: 16, channels: 3, background } });
  const cases: [string, () => Promise<Uint8Array>, RegExp][] = [
    ["an empty file", async () => new Uint8Array(0), /^The file is empty; upload a PNG, JPEG or WebP image$/],
    [
      "a GIF",
      () => tiny().gif().toBuffer(),
      /^GIF images are not supported; upload a PNG, JPEG or WebP image$/,
    ],
    [
      "an SVG",
      async () =>
        Buffer.from(
          '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>',
        ),
      /^SVG images are not supported/,
    ],
    [
      "a PDF",
      async () => Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"),
      /^PDF documents are not/,
    ],
    ["an AVIF", () => tiny().avif().toBuffer(), /^AVIF images are not supported/],
    ["a TIFF", () => tiny().tiff().toBuffer(), /^TIFF images are not supported/],
    [
      "text",
      async () => Buffer.from("hello, this is not an image\n"),
      /^The file is not a PNG, JPEG or WebP image/,
    ],
    [
      "a truncated JPEG",
      async () => (await photo("fruits.jpg")).subarray(0, 60_000),
      /^The file is not a readable image \(it may be truncated or corrupt\)$/,
    ],
    [
      "a truncated PNG",
      async () => (await photo("butterfly.png")).subarray(0, 100_000),
      /^The file is not a readable image/,
    ],
    [
      "a PNG signature over garbage",
      async () =>
        Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]),
      /^The file is not a readable image/,
    ],
    [
      "an animated WebP",
      async () =>
        sharp([await tiny().png().toBuffer(), await tiny("#cc6633").png().toBuffer()], {
          join: { animated: true },
        })
          .webp()
          .toBuffer(),
      /^Animated images are not supported/,
    ],
  ];

  it.each(cases)("refuses %s with 415 and a clear message", async (_name, make, message) => {
    // Prepare
    const bytes = await make();

    // Act
    const error = await rejectionOf(normalizeUpload(bytes, limits));

    // Assess
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    expect((error as UnsupportedMediaTypeError).statusCode).toBe(415);
    expect((error as Error).message).toMatch(message);
  });

  it("refuses a file over the byte limit with both sizes in MB", async () => {
    // Prepare: the size is checked before anything is read, so zeros do
    const bytes = new Uint8Array(Math.round(30.1 * 1024 * 1024));

    // Act
    const error = await rejectionOf(normalizeUpload(bytes, limits));

    // Assess
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect((error as PayloadTooLargeError).statusCode).toBe(413);
    expect((error as Error).message).toBe("The file is 30.1 MB; the limit is 25 MB");
  });

  it("refuses a real photo just over a small byte limit", async () => {
    // Prepare
    const bytes = await photo("fruits.jpg");

    // Act
    const error = await rejectionOf(normalizeUpload(bytes, { ...limits, maxBytes: 50 * 1024 }));

    // Assess
    expect((error as Error).message).toBe("The file is 80.5 KB; the limit is 50 KB");
  });

  it("refuses an image over the pixel limit from its header, before decoding", async () => {
    // Prepare: a solid 2000×2000 PNG compresses to a few KB; cutting it in half means any
    // attempt to decode would fail as unreadable (415) instead of answering 413
    const whole = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: "#808080" } })
      .png()
      .toBuffer();
    const headerOnly = whole.subarray(0, Math.floor(whole.length / 2));

    // Act
    const error = await rejectionOf(normalizeUpload(headerOnly, { ...limits, maxPixels: 1_000_000 }));

    // Assess
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect((error as Error).message).toBe(
      "The image is 2000×2000 (4,000,000 pixels); the limit is 1,000,000 pixels",
    );
  });
});
