import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@retouch/core";
import { afterEach, describe, expect, it } from "vitest";
import { startLocalServer } from "../src/index";
import { ApiClient } from "./support/api-client";
import { PHOTOS, rectangleMask } from "./support/images";
import { ADMIN_PASSWORD, ADMIN_TEMPORARY_PASSWORD } from "./support/local-server";
import { killHard, spawnServer } from "./support/spawn-server";
import { queuedEdit } from "./support/edit-record";

/**
 * Starts edits on a large photo with a large hole (about a third of it), so each takes a while
 * to run. They use the quick fill: the test is about the queue, and the content-aware fill would
 * make each edit take tens of seconds on a loaded machine.
 */
async function queueSlowEdits(client: ApiClient, count: number): Promise<string[]> {
  const source = await client.upload(await readFile(`${PHOTOS}/aloeL.jpg`), "image/jpeg");
  const mask = await client.upload(
    await rectangleMask(1282, 1110, { left: 250, top: 200, width: 760, height: 640 }),
    "image/png",
    "mask",
  );
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await client.request("POST", "/edits", {
      operation: "erase",
      engine: "local-fill-fast",
      imageId: source.imageId,
      maskImageId: mask.imageId,
      seed: i,
    });
    expect(created.status).toBe(202);
    ids.push(created.json.edit.id);
  }
  return ids;
}

async function waitForRunning(client: ApiClient, id: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const got = await client.request("GET", `/edits/${id}`);
    if (got.json.edit.status === "running") return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`edit ${id} never started running`);
}

describe("a server killed mid-job", () => {
  let dataDir: string;
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    "retries the interrupted job and runs the queued ones after a restart",
    { timeout: 180_000 },
    async () => {
      // Prepare
      dataDir = await mkdtemp(join(tmpdir(), "retouch-crash-"));
      const env = { RETOUCH_ADMIN_PASSWORD: ADMIN_TEMPORARY_PASSWORD };
      const first = await spawnServer(dataDir, env);
      const client = new ApiClient(first.url);
      await client.signIn("admin", ADMIN_TEMPORARY_PASSWORD, ADMIN_PASSWORD);
      const ids = await queueSlowEdits(client, 2);
      await waitForRunning(client, ids[0]!);

      // Act
      await killHard(first.child);
      const second = await spawnServer(dataDir, env);
      try {
        const after = new ApiClient(second.url);
        await after.signIn("admin", ADMIN_PASSWORD);
        const finished = await Promise.all(ids.map((id) => after.waitForEdit(id, 120_000)));

        // Assess
        expect(finished.map((f) => f.edit.status)).toEqual(["succeeded", "succeeded"]);
        expect(finished[0].edit.attempts).toBe(2);
        expect(finished[0].results).toHaveLength(1);
      } finally {
        await killHard(second.child);
      }
    },
  );

  it(
    "fails the interrupted job with a reason once its attempts are used up",
    { timeout: 120_000 },
    async () => {
      // Prepare
      dataDir = await mkdtemp(join(tmpdir(), "retouch-crash-"));
      const env = { RETOUCH_ADMIN_PASSWORD: ADMIN_TEMPORARY_PASSWORD, RETOUCH_JOB_MAX_ATTEMPTS: "1" };
      const first = await spawnServer(dataDir, env);
      const client = new ApiClient(first.url);
      await client.signIn("admin", ADMIN_TEMPORARY_PASSWORD, ADMIN_PASSWORD);
      const [id] = await queueSlowEdits(client, 1);
      await waitForRunning(client, id!);

      // Act
      await killHard(first.child);
      const second = await spawnServer(dataDir, env);
      try {
        const after = new ApiClient(second.url);
        await after.signIn("admin", ADMIN_PASSWORD);
        const finished = await after.waitForEdit(id!, 30_000);

        // Assess
        expect(finished.edit.status).toBe("failed");
        expect(finished.edit.error.code).toBe("interrupted");
        expect(finished.edit.error.message).toMatch(/server stopped/);
        expect(finished.source).not.toBeNull();
      } finally {
        await killHard(second.child);
      }
    },
  );
});

describe("an edit recorded but never queued", () => {
  it("is queued and run at the next start", { timeout: 60_000 }, async () => {
    // Prepare: write an edit record the way the API does, but "die" before enqueueing it
    const dataDir = await mkdtemp(join(tmpdir(), "retouch-orphan-"));
    const config = loadConfig(
      {},
      { port: 0, dataDir, logLevel: "silent", adminPassword: ADMIN_TEMPORARY_PASSWORD },
    );
    const first = await startLocalServer(config);
    const client = new ApiClient(first.url);
    await client.signIn("admin", ADMIN_TEMPORARY_PASSWORD, ADMIN_PASSWORD);
    const source = await client.upload(await readFile(`${PHOTOS}/fruits.jpg`), "image/jpeg");
    const mask = await client.upload(
      await rectangleMask(512, 480, { left: 10, top: 10, width: 40, height: 40 }),
      "image/png",
      "mask",
    );
    const principal = await first.runtime.identity.verifyAccessToken(client.token!);
    await first.runtime.deps.metadata.createEdit(
      queuedEdit({
        id: "edt_orphan",
        userId: principal.userId,
        sourceImageId: source.imageId,
        maskImageId: mask.imageId,
      }),
    );
    await first.close();
    try {
      // Act
      const second = await startLocalServer(config);
      try {
        const after = new ApiClient(second.url);
        await after.signIn("admin", ADMIN_PASSWORD);
        const finished = await after.waitForEdit("edt_orphan", 30_000);
        // Assess
        expect(second.recovery.queuedEdits).toBe(1);
        expect(finished.edit.status).toBe("succeeded");
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
