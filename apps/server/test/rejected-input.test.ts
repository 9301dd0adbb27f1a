import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./support/api-client";
import { queuedEdit } from "./support/edit-record";
import { PHOTOS, rectangleMask } from "./support/images";
import { ADMIN_PASSWORD, ADMIN_TEMPORARY_PASSWORD, startTestServer } from "./support/local-server";

/** Every file under the data folder's blob store. */
async function blobFiles(dataDir: string): Promise<string[]> {
  const entries = await readdir(join(dataDir, "blobs"), { recursive: true, withFileTypes: true }).catch(
    () => [],
  );
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("rejected input over HTTP", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let client: ApiClient;
  let photoId: string;
  let maskId: string;

  beforeAll(async () => {
    server = await startTestServer({ maxUploadBytes: 2 * 1024 * 1024, maxPixels: 4_000_000 });
    client = new ApiClient(server.url);
    await client.signIn("admin", ADMIN_TEMPORARY_PASSWORD, ADMIN_PASSWORD);
    photoId = (await client.upload(await readFile(`${PHOTOS}/fruits.jpg`), "image/jpeg")).imageId;
    maskId = (
      await client.upload(
        await rectangleMask(512, 480, { left: 10, top: 10, width: 50, height: 50 }),
        "image/png",
        "mask",
      )
    ).imageId;
  });
  afterAll(async () => {
    await server.stop();
  });

  /** Uploads `bytes`, completes, and checks the status, message, and that record and file are gone. */
  async function expectRejectedUpload(
    bytes: Uint8Array,
    contentType: string,
    status: number,
    message: RegExp,
  ) {
    // Prepare
    const before = await blobFiles(server.dataDir);
    // Act
    const result = await client.upload(bytes, contentType);
    // Assess
    expect(result.status, JSON.stringify(result.json)).toBe(status);
    expect(result.json.error.message).toMatch(message);
    expect((await client.request("GET", `/images/${result.imageId}`)).status).toBe(404);
    expect(await blobFiles(server.dataDir)).toEqual(before);
  }

  it("refuses text with 415", async () => {
    await expectRejectedUpload(
      new TextEncoder().encode("hello, not an image"),
      "image/png",
      415,
      /not a PNG, JPEG or WebP/i,
    );
  });

  it("refuses SVG with 415", async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>`;
    await expectRejectedUpload(
      new TextEncoder().encode(svg),
      "image/png",
      415,
      /SVG|not supported|not a readable/i,
    );
  });

  it("refuses GIF with 415", async () => {
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: "red" } })
      .gif()
      .toBuffer();
    await expectRejectedUpload(gif, "image/png", 415, /GIF/);
  });

  it("refuses PDF with 415", async () => {
    await expectRejectedUpload(
      new TextEncoder().encode("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF"),
      "image/png",
      415,
      /PDF|not supported|not a readable/i,
    );
  });

  it("refuses a truncated JPEG with 415", async () => {
    const photo = await readFile(`${PHOTOS}/fruits.jpg`);
    await expectRejectedUpload(
      photo.subarray(0, Math.floor(photo.length / 2)),
      "image/jpeg",
      415,
      /truncated|corrupt|readable/i,
    );
  });

  it("refuses a decompression bomb before decoding with 413", async () => {
    const bomb = await sharp({ create: { width: 5000, height: 5000, channels: 3, background: "white" } })
      .png()
      .toBuffer();
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    await expectRejectedUpload(bomb, "image/png", 413, /pixels|MP/i);
  });

  it("refuses an upload over the byte limit with 413 at the PUT", async () => {
    // Prepare
    const reserved = await client.request("POST", "/images", { contentType: "image/png" });
    // Act
    const put = await fetch(reserved.json.upload.url, {
      method: "PUT",
      headers: reserved.json.upload.headers,
      body: new Uint8Array(3 * 1024 * 1024),
    });
    // Assess
    expect(put.status).toBe(413);
    expect(await blobFiles(server.dataDir)).not.toContainEqual(
      expect.stringContaining(reserved.json.image.id),
    );
  });

  it("refuses a tampered or mismatched upload URL", async () => {
    const reserved = await client.request("POST", "/images", { contentType: "image/png" });
    const url = new URL(reserved.json.upload.url);
    url.searchParams.set("sig", "A".repeat(43));
    expect(
      (await fetch(url, { method: "PUT", headers: reserved.json.upload.headers, body: "x" })).status,
    ).toBe(401);
    const wrongType = await fetch(reserved.json.upload.url, {
      method: "PUT",
      headers: { "Content-Type": "text/plain" },
      body: "x",
    });
    expect(wrongType.status).toBe(415);
  });

  it("refuses completing before uploading with 409", async () => {
    const reserved = await client.request("POST", "/images", { contentType: "image/png" });
    const completed = await client.request("POST", `/images/${reserved.json.image.id}/complete`);
    expect(completed.status).toBe(409);
  });

  it("refuses a mask of another size with 400 naming both sizes", async () => {
    // Prepare
    const wrong = await client.upload(
      await rectangleMask(100, 80, { left: 0, top: 0, width: 10, height: 10 }),
      "image/png",
      "mask",
    );
    // Act
    const created = await client.request("POST", "/edits", {
      operation: "inpaint",
      imageId: photoId,
      maskImageId: wrong.imageId,
    });
    // Assess
    expect(created.status).toBe(400);
    expect(created.json.error.message).toContain("100×80");
    expect(created.json.error.message).toContain("512×480");
    expect((await client.request("GET", "/edits")).json.items).toEqual([]);
  });

  it("refuses an empty mask for inpaint with 400", async () => {
    const empty = await client.upload(
      await rectangleMask(512, 480, { left: 0, top: 0, width: 0, height: 0 }),
      "image/png",
      "mask",
    );
    const created = await client.request("POST", "/edits", {
      operation: "inpaint",
      imageId: photoId,
      maskImageId: empty.imageId,
    });
    expect(created.status).toBe(400);
    expect(created.json.error.message).toMatch(/mask is empty/);
  });

  it("refuses an outpaint without margins or aspectRatio, with both, or to the photo's own ratio, with 400", async () => {
    // Prepare
    const outpaint = { operation: "outpaint", imageId: photoId, engine: "local-fill-fast" };
    // Act
    const neither = await client.request("POST", "/edits", outpaint);
    const both = await client.request("POST", "/edits", {
      ...outpaint,
      aspectRatio: "16:9",
      margins: { left: 8 },
    });
    const same = await client.request("POST", "/edits", { ...outpaint, aspectRatio: "16:15" });
    const badRatio = await client.request("POST", "/edits", { ...outpaint, aspectRatio: "16/9" });
    // Assess
    expect([neither.status, both.status, same.status, badRatio.status]).toEqual([400, 400, 400, 400]);
    expect(neither.json.error.message).toMatch(/needs margins .* or an aspectRatio/);
    expect(both.json.error.message).toMatch(/either margins or aspectRatio, not both/);
    expect(same.json.error.message).toMatch(/512×480\) already has the aspect ratio 16:15/);
    expect(badRatio.json.error.message).toMatch(/aspectRatio/);
    expect((await client.request("GET", "/edits")).json.items).toEqual([]);
  });

  it("accepts an outpaint to an aspect ratio and records the centred margins it means", async () => {
    // Act
    const created = await client.request("POST", "/edits", {
      operation: "outpaint",
      imageId: photoId,
      engine: "local-fill-fast",
      aspectRatio: "1:1",
    });
    // Assess
    expect(created.status, JSON.stringify(created.json)).toBe(202);
    expect(created.json.edit.margins).toEqual({ top: 16, right: 0, bottom: 16, left: 0 });
    expect((await client.request("DELETE", `/edits/${created.json.edit.id}`)).status).toBeLessThan(300);
  });

  it("refuses what the engine cannot do with 422", async () => {
    const replace = await client.request("POST", "/edits", {
      operation: "replace",
      imageId: photoId,
      prompt: "a cat",
    });
    expect(replace.status).toBe(422);
    expect(replace.json.error.message).toMatch(/does not support 'replace'/);
    const many = await client.request("POST", "/edits", {
      operation: "inpaint",
      imageId: photoId,
      maskImageId: maskId,
      count: 8,
    });
    expect(many.status).toBe(422);
  });

  it("refuses invalid bodies with 400 naming the field", async () => {
    const badOperation = await client.request("POST", "/edits", { operation: "sharpen", imageId: photoId });
    expect(badOperation.status).toBe(400);
    expect(badOperation.json.error.message).toContain("operation");
    const notJson = await client.request("POST", "/edits", "{not json");
    expect(notJson.status).toBe(400);
    const unknownEngine = await client.request("POST", "/edits", {
      operation: "inpaint",
      imageId: photoId,
      maskImageId: maskId,
      engine: "dall-e",
    });
    expect(unknownEngine.status).toBe(400);
    expect(unknownEngine.json.error.message).toMatch(/local-fill/);
    const missingMask = await client.request("POST", "/edits", { operation: "inpaint", imageId: photoId });
    expect(missingMask.status).toBe(400);
  });

  it("refuses oversized JSON bodies with 413", async () => {
    const big = await client.request("POST", "/edits", { operation: "inpaint", prompt: "x".repeat(100_000) });
    expect(big.status).toBe(413);
  });

  it("answers 404 for unknown ids and routes", async () => {
    expect((await client.request("GET", "/edits/edt_doesnotexist")).status).toBe(404);
    expect((await client.request("GET", "/images/img_doesnotexist")).status).toBe(404);
    expect((await client.request("GET", "/edits/bad..id")).status).toBe(400);
  });

  it("keeps a failed edit's source, record and reason", async () => {
    // Prepare: an edit whose mask vanished after validation (written past the API, so the job must fail)
    const { deps } = server.runtime;
    const principal = await deps.identity.verifyAccessToken(client.token!);
    const edit = queuedEdit({
      id: "edt_missingmask",
      userId: principal.userId,
      sourceImageId: photoId,
      maskImageId: "img_vanished",
    });
    await deps.metadata.createEdit(edit);
    // Act
    await deps.queue.enqueue({ editId: edit.id, attempt: 1 });
    const done = await client.waitForEdit(edit.id);
    // Assess
    expect(done.edit.status).toBe("failed");
    expect(done.edit.error.message).toMatch(/mask image 'img_vanished' was not found/);
    expect(done.source.imageId).toBe(photoId);
    expect((await client.request("GET", `/images/${photoId}`)).status).toBe(200);
  });
});
