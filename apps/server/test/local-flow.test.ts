import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./support/api-client";
import { PHOTOS, diffByRegion, rectangleMask, rgba } from "./support/images";
import { ADMIN_PASSWORD, ADMIN_TEMPORARY_PASSWORD, startTestServer } from "./support/local-server";

describe("local app end to end over HTTP", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const admin = () => new ApiClient(server.url);

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("signs in, uploads, edits, lists, downloads — and keeps other users out", async () => {
    // Prepare: first sign-in with the temporary password forces a new one
    const client = admin();
    const first = await client.request("POST", "/auth/login", {
      username: "admin",
      password: ADMIN_TEMPORARY_PASSWORD,
    });
    expect(first.json).toMatchObject({ challenge: "NEW_PASSWORD_REQUIRED", username: "admin" });
    const weak = await client.request("POST", "/auth/new-password", {
      username: "admin",
      session: first.json.session,
      newPassword: "password",
    });
    expect(weak.status).toBe(400);
    expect(weak.json.error.message).toMatch(/uppercase/);
    await client.signIn("admin", ADMIN_TEMPORARY_PASSWORD, ADMIN_PASSWORD);

    // Act: upload the photo and a mask, start an inpaint edit, wait for it
    const photo = await readFile(`${PHOTOS}/fruits.jpg`);
    const source = await client.upload(photo, "image/jpeg");
    expect(source.status).toBe(200);
    expect(source.json.image).toMatchObject({ status: "ready", format: "jpeg", width: 512, height: 480 });
    expect(source.json.image.sha256).toMatch(/^[0-9a-f]{64}$/);
    const rect = { left: 200, top: 180, width: 90, height: 70 };
    const mask = await client.upload(await rectangleMask(512, 480, rect), "image/png", "mask");
    expect(mask.status).toBe(200);
    const created = await client.request("POST", "/edits", {
      operation: "inpaint",
      imageId: source.imageId,
      maskImageId: mask.imageId,
      engine: "local-fill",
      seed: 42,
    });
    expect(created.status).toBe(202);
    expect(created.json.edit).toMatchObject({ status: "queued", engine: "local-fill", seed: 42 });
    const done = await client.waitForEdit(created.json.edit.id);

    // Assess: the result differs from the source only inside the mask
    expect(done.edit.status, JSON.stringify(done.edit.error)).toBe("succeeded");
    expect(done.edit.progress).toBe(1);
    expect(done.edit.durationMs).toBeGreaterThanOrEqual(0);
    expect(done.results).toHaveLength(1);
    const resultResponse = await fetch(done.results[0].url);
    expect(resultResponse.status).toBe(200);
    expect(resultResponse.headers.get("content-type")).toBe("image/png");
    const result = await rgba(new Uint8Array(await resultResponse.arrayBuffer()));
    const sourceDownload = await client.request("GET", `/images/${source.imageId}`);
    const stored = await rgba(
      new Uint8Array(await (await fetch(sourceDownload.json.download.url)).arrayBuffer()),
    );
    const diff = diffByRegion(stored, result, rect);
    expect(diff.outside).toBe(0);
    expect(diff.inside).toBeGreaterThan(rect.width * rect.height * 0.5);

    // Assess: history lists it, newest first
    const history = await client.request("GET", "/edits?limit=10");
    expect(history.status).toBe(200);
    expect(history.json.items[0].edit.id).toBe(created.json.edit.id);
    expect(history.json.items[0].source.imageId).toBe(source.imageId);

    // Assess: another user sees none of it
    const otherCreated = await server.runtime.identity.createUser({
      username: "bob",
      temporaryPassword: "Bob-Temp-123!",
    });
    expect(otherCreated.user.status).toBe("FORCE_CHANGE_PASSWORD");
    const bob = new ApiClient(server.url);
    await bob.signIn("bob", "Bob-Temp-123!", "Bob-Real-456!");
    expect((await bob.request("GET", `/edits/${created.json.edit.id}`)).status).toBe(404);
    expect((await bob.request("GET", `/images/${source.imageId}`)).status).toBe(404);
    expect((await bob.request("DELETE", `/edits/${created.json.edit.id}`)).status).toBe(404);
    expect((await bob.request("POST", `/edits/${created.json.edit.id}/cancel`)).status).toBe(404);
    expect((await bob.request("GET", "/edits")).json.items).toEqual([]);
    const bobEdit = await bob.request("POST", "/edits", {
      operation: "inpaint",
      imageId: source.imageId,
      maskImageId: mask.imageId,
    });
    expect(bobEdit.status).toBe(404);

    // Act / Assess: deleting the edit removes it and its results
    expect((await client.request("DELETE", `/edits/${created.json.edit.id}`)).status).toBe(204);
    expect((await client.request("GET", `/edits/${created.json.edit.id}`)).status).toBe(404);
    expect((await fetch(done.results[0].url)).status).toBe(404);
  });

  it("makes several variants when asked", async () => {
    // Prepare
    const client = admin();
    await client.signIn("admin", ADMIN_PASSWORD);
    const photo = await readFile(`${PHOTOS}/baboon.jpg`);
    const source = await client.upload(photo, "image/jpeg");
    const mask = await client.upload(
      await rectangleMask(512, 512, { left: 100, top: 100, width: 60, height: 60 }),
      "image/png",
      "mask",
    );
    // Act
    const created = await client.request("POST", "/edits", {
      operation: "erase",
      imageId: source.imageId,
      maskImageId: mask.imageId,
      count: 3,
    });
    const done = await client.waitForEdit(created.json.edit.id);
    // Assess
    expect(done.edit.status).toBe("succeeded");
    expect(done.results).toHaveLength(3);
    const hashes = new Set(done.results.map((r: { imageId: string }) => r.imageId));
    expect(hashes.size).toBe(3);
  });

  it("cancels a queued edit", async () => {
    // Prepare
    const client = admin();
    await client.signIn("admin", ADMIN_PASSWORD);
    const source = await client.upload(await readFile(`${PHOTOS}/aloeL.jpg`), "image/jpeg");
    const mask = await client.upload(
      await rectangleMask(1282, 1110, { left: 100, top: 100, width: 900, height: 800 }),
      "image/png",
      "mask",
    );
    const first = await client.request("POST", "/edits", {
      operation: "erase",
      // The quick fill: this is about the queue, not about how well the hole is filled.
      engine: "local-fill-fast",
      imageId: source.imageId,
      maskImageId: mask.imageId,
    });
    const second = await client.request("POST", "/edits", {
      operation: "erase",
      engine: "local-fill-fast",
      imageId: source.imageId,
      maskImageId: mask.imageId,
    });
    // Act
    const canceled = await client.request("POST", `/edits/${second.json.edit.id}/cancel`);
    // Assess
    expect(canceled.status).toBe(200);
    expect(canceled.json.edit.status).toBe("canceled");
    const firstDone = await client.waitForEdit(first.json.edit.id);
    expect(firstDone.edit.status).toBe("succeeded");
    const secondAfter = await client.request("GET", `/edits/${second.json.edit.id}`);
    expect(secondAfter.json.edit.status).toBe("canceled");
    expect(secondAfter.json.results).toEqual([]);
  });
});
