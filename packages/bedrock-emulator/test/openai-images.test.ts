import { readFile } from "node:fs/promises";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startBedrockEmulator, type BedrockEmulator } from "../src";
import { hasSyntheticLabel } from "../src/synthetic-image";
import { photoPath } from "../../../test/photos";

const SIDE = 256;
const KEY = "sk-emulator-test";
/** The area to edit: x and y in [96, 160). */
const inSquare = (x: number, y: number) => x >= 96 && x < 160 && y >= 96 && y < 160;

let emulator: BedrockEmulator;
let photo: Buffer;
let imagePng: Buffer;
let maskPng: Buffer;

/** RGBA of `png`, with its size. */
async function rgbaOf(png: Buffer | Uint8Array) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const pngOf = (rgba: Uint8Array, width: number, height: number) =>
  sharp(rgba, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();

/** A mask in OpenAI's convention: the photo, fully transparent where `edit(x, y)` holds. */
async function alphaMask(width: number, height: number, edit: (x: number, y: number) => boolean) {
  const data = Buffer.alloc(width * height * 4, 255);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) if (edit(x, y)) data[(y * width + x) * 4 + 3] = 0;
  return pngOf(data, width, height);
}

function editForm(fields: Record<string, string | Buffer>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === "string") form.set(name, value);
    else form.set(name, new Blob([value], { type: "image/png" }), `${name}.png`);
  }
  return form;
}

const baseFields = () => ({
  image: imagePng,
  mask: maskPng,
  prompt: "a small wooden boat",
  n: "1",
  size: "256x256",
  response_format: "b64_json",
});

async function postEdit(fields: Record<string, string | Buffer>, key: string | null = KEY) {
  const response = await fetch(`${emulator.url}/v1/images/edits`, {
    method: "POST",
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
    body: editForm(fields),
  });
  return { response, json: (await response.json()) as Record<string, unknown> };
}

const errorOf = (json: Record<string, unknown>) =>
  json.error as { message: string; type: string; code: string | null };
const imagesOf = (json: Record<string, unknown>) =>
  (json.data as { b64_json: string }[]).map((item) => Buffer.from(item.b64_json, "base64"));

beforeAll(async () => {
  emulator = await startBedrockEmulator({ openAiApiKey: KEY });
  photo = await sharp(await readFile(photoPath("fruits.jpg")))
    .resize(SIDE, SIDE, { fit: "cover" })
    .ensureAlpha()
    .raw()
    .toBuffer();
  // Magenta in the square, so a pixel left unfilled stands out.
  const holed = Buffer.from(photo);
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) if (inSquare(x, y)) holed.set([255, 0, 255, 255], (y * SIDE + x) * 4);
  imagePng = await pngOf(holed, SIDE, SIDE);
  maskPng = await alphaMask(SIDE, SIDE, inSquare);
});

afterEach(() => emulator.faults.reset());

afterAll(async () => {
  await emulator.close();
});

describe("emulator: POST /v1/images/edits over HTTP/1.1", () => {
  it("fills where the mask is transparent and keeps every other pixel", async () => {
    // Act
    const { response, json } = await postEdit({ ...baseFields(), n: "2" });

    // Assess
    expect(response.status).toBe(200);
    const images = imagesOf(json);
    expect(images).toHaveLength(2);
    const holed = await rgbaOf(imagePng);
    for (const png of images) {
      const out = await rgbaOf(png);
      expect([out.width, out.height]).toEqual([SIDE, SIDE]);
      let changedOutside = 0;
      let magentaInside = 0;
      for (let y = 0; y < SIDE; y++) {
        for (let x = 0; x < SIDE; x++) {
          const i = (y * SIDE + x) * 4;
          const [r, g, b] = [out.data[i]!, out.data[i + 1]!, out.data[i + 2]!];
          if (inSquare(x, y)) magentaInside += r > 200 && g < 60 && b > 200 ? 1 : 0;
          else for (let c = 0; c < 4; c++) changedOutside += out.data[i + c] !== holed.data[i + c] ? 1 : 0;
        }
      }
      expect(changedOutside).toBe(0);
      expect(magentaInside).toBe(0);
    }
  });

  it("answers at the requested size", async () => {
    // Act
    const { response, json } = await postEdit({ ...baseFields(), size: "512x512" });

    // Assess
    expect(response.status).toBe(200);
    const out = await rgbaOf(imagesOf(json)[0]!);
    expect([out.width, out.height]).toEqual([512, 512]);
  });

  it("requires a Bearer key, and the configured one", async () => {
    // Act
    const missing = await postEdit(baseFields(), null);
    const wrong = await postEdit(baseFields(), "sk-wrong");

    // Assess
    expect(missing.response.status).toBe(401);
    expect(errorOf(missing.json)).toMatchObject({ type: "invalid_request_error", message: /API key/ });
    expect(wrong.response.status).toBe(401);
    expect(errorOf(wrong.json).code).toBe("invalid_api_key");
  });

  it("validates fields like DALL·E 2 does", async () => {
    // Prepare
    const opaqueMask = await alphaMask(SIDE, SIDE, () => false);
    const smallMask = await alphaMask(128, 128, inSquare);
    const wide = await pngOf(Buffer.alloc(SIDE * 128 * 4, 255), SIDE, 128);
    const jpeg = await sharp(photo, { raw: { width: SIDE, height: SIDE, channels: 4 } })
      .jpeg()
      .toBuffer();
    const cases: [Record<string, string | Buffer>, RegExp][] = [
      [{ mask: opaqueMask }, /no transparent/],
      [{ mask: smallMask }, /must be the size of the image/],
      [{ image: wide, mask: await alphaMask(SIDE, 128, inSquare) }, /must be square/],
      [{ image: jpeg }, /must be a PNG/],
      [{ n: "11" }, /^n:/],
      [{ size: "300x300" }, /^size:/],
      [{ prompt: "x".repeat(1001) }, /prompt must be at most 1000 characters/],
      [{ response_format: "url" }, /b64_json/],
    ];

    for (const [fields, message] of cases) {
      // Act
      const { response, json } = await postEdit({ ...baseFields(), ...fields });

      // Assess
      expect(response.status, String(message)).toBe(400);
      expect(errorOf(json).message).toMatch(message);
    }
  });

  it("applies the faults: throttling, unavailability and content-policy refusals", async () => {
    // Prepare
    emulator.faults.throttleNext(1);
    emulator.faults.unavailableNext(1);
    emulator.faults.refuseInput(1);
    emulator.faults.refuseOutput(1);

    // Act
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const { response, json } = await postEdit(baseFields());
      statuses.push([response.status, response.ok ? null : errorOf(json).code]);
    }

    // Assess
    expect(statuses).toEqual([
      [429, "rate_limit_exceeded"],
      [503, null],
      [400, "content_policy_violation"],
      [400, "moderation_blocked"],
      [200, null],
    ]);
  });

  it("answers 404 for an unknown image endpoint", async () => {
    // Act
    const response = await fetch(`${emulator.url}/v1/images/variations-unknown`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}` },
      body: "{}",
    });

    // Assess
    expect(response.status).toBe(404);
  });
});

describe("emulator: POST /v1/images/generations", () => {
  const generate = (body: unknown) =>
    fetch(`${emulator.url}/v1/images/generations`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("answers deterministic synthetic images, marked as such", async () => {
    // Prepare
    const body = { prompt: "a lighthouse at dusk", n: 2, size: "256x256", response_format: "b64_json" };

    // Act
    const first = await generate(body);
    const second = await generate(body);

    // Assess
    expect(first.status).toBe(200);
    expect(first.headers.get("x-emulator-synthetic")).toMatch(/synthetic|deterministic/);
    const a = imagesOf((await first.json()) as Record<string, unknown>);
    const b = imagesOf((await second.json()) as Record<string, unknown>);
    expect(a).toHaveLength(2);
    expect(a[0]!.equals(b[0]!)).toBe(true);
    expect(a[0]!.equals(a[1]!)).toBe(false);
    const out = await rgbaOf(a[0]!);
    expect([out.width, out.height]).toEqual([256, 256]);
    expect(hasSyntheticLabel({ ...out, data: new Uint8Array(out.data) })).toBe(true);
  });

  it("validates the body", async () => {
    // Act
    const response = await generate({ prompt: "", n: 1, response_format: "b64_json" });

    // Assess
    expect(response.status).toBe(400);
  });
});
