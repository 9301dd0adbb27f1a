import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, ValidationError, type MetadataStore } from "@retouch/core";
import { createDynamoMetadataStore, createSqliteMetadataStore, openSqlite } from "../src/index";
import { startDynalite } from "./local-aws";
import { anEdit, anImage, tempDir } from "./support";

/** Every MetadataStore adapter; a new adapter adds one entry and must pass the same tests. */
const STORES: { name: string; create(): Promise<{ store: MetadataStore; cleanup(): Promise<void> }> }[] = [
  {
    name: "sqlite",
    async create() {
      const temp = await tempDir("metadata");
      const db = openSqlite(join(temp.dir, "test.db"));
      return {
        store: createSqliteMetadataStore({ db }),
        cleanup: async () => {
          db.close();
          await temp.remove();
        },
      };
    },
  },
  {
    name: "dynamodb (dynalite)",
    async create() {
      const dynamo = await startDynalite();
      return {
        store: createDynamoMetadataStore({ client: dynamo.client, tableName: dynamo.tableName }),
        cleanup: dynamo.stop,
      };
    },
  },
];

for (const adapter of STORES) {
  describe(`MetadataStore contract: ${adapter.name}`, () => {
    let store: MetadataStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await adapter.create());
    });
    afterEach(async () => {
      await cleanup();
    });

    it("creates, reads, updates and deletes images", async () => {
      // Prepare
      const image = anImage();
      // Act
      await store.createImage(image);
      const updated = await store.updateImage(image.id, {
        status: "ready",
        width: 10,
        height: 20,
        format: "png",
      });
      // Assess
      expect(updated).toMatchObject({
        id: image.id,
        status: "ready",
        width: 10,
        height: 20,
        userId: "usr_a",
      });
      expect(await store.getImage(image.id)).toEqual(updated);
      await store.deleteImage(image.id);
      expect(await store.getImage(image.id)).toBeNull();
    });

    it("answers null for missing records and NotFoundError when updating them", async () => {
      expect(await store.getImage("img_missing")).toBeNull();
      expect(await store.getEdit("edt_missing")).toBeNull();
      await expect(store.updateImage("img_missing", { status: "ready" })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(store.updateEdit("edt_missing", { progress: 0.5 })).rejects.toBeInstanceOf(NotFoundError);
    });

    it("refuses a duplicate id with ConflictError", async () => {
      // Prepare
      const edit = anEdit();
      const image = anImage();
      await store.createEdit(edit);
      await store.createImage(image);
      // Act / Assess
      await expect(store.createEdit(edit)).rejects.toBeInstanceOf(ConflictError);
      await expect(store.createImage(image)).rejects.toBeInstanceOf(ConflictError);
    });

    it("updates an edit only from an expected status", async () => {
      // Prepare
      const edit = anEdit({ status: "queued" });
      await store.createEdit(edit);
      // Act
      const running = await store.updateEdit(
        edit.id,
        { status: "running", attempts: 1 },
        { expectedStatus: ["queued"] },
      );
      const conflict = store.updateEdit(edit.id, { status: "canceled" }, { expectedStatus: ["queued"] });
      // Assess
      expect(running).toMatchObject({ status: "running", attempts: 1, operation: "inpaint" });
      await expect(conflict).rejects.toBeInstanceOf(ConflictError);
      expect((await store.getEdit(edit.id))?.status).toBe("running");
    });

    it("updates an edit only while its attempts are below the given attempt", async () => {
      // Prepare
      const edit = anEdit({ status: "running", attempts: 2 });
      await store.createEdit(edit);
      // Act
      const same = await store
        .updateEdit(edit.id, { attempts: 2 }, { expectedStatus: ["running"], attemptsBelow: 2 })
        .catch((error: unknown) => error);
      const later = await store.updateEdit(
        edit.id,
        { attempts: 3 },
        { expectedStatus: ["running"], attemptsBelow: 3 },
      );
      // Assess
      expect(same).toBeInstanceOf(ConflictError);
      expect((same as Error).message).toMatch(/already at attempt 2/);
      expect(later.attempts).toBe(3);
      expect((await store.getEdit(edit.id))?.attempts).toBe(3);
    });

    it("keeps every field of an edit across a round trip", async () => {
      // Prepare
      const edit = anEdit({
        prompt: "a red boat",
        margins: { top: 1, right: 2, bottom: 3, left: 4 },
        options: { quality: "premium", cfg: 6.5, flag: true, none: null },
        resultImageIds: ["img_1", "img_2"],
        error: { code: "engine_failed", message: "boom" },
      });
      // Act
      await store.createEdit(edit);
      // Assess
      expect(await store.getEdit(edit.id)).toEqual(edit);
    });

    it("lists a user's edits newest first, page by page, ties broken by id", async () => {
      // Prepare: five edits, two sharing a creation time, and one of another user
      const sameTime = "2026-11-25T10:00:00.000Z";
      const edits = [
        anEdit({ createdAt: "2026-11-25T09:00:00.000Z" }),
        anEdit({ createdAt: sameTime, id: "edt_tie_a" }),
        anEdit({ createdAt: sameTime, id: "edt_tie_b" }),
        anEdit({ createdAt: "2026-11-25T11:00:00.000Z" }),
        anEdit({ createdAt: "2026-11-25T12:00:00.000Z" }),
      ];
      for (const edit of edits) await store.createEdit(edit);
      await store.createEdit(anEdit({ userId: "usr_b", createdAt: "2026-11-25T13:00:00.000Z" }));
      // Act
      const first = await store.listEdits("usr_a", { limit: 2 });
      const second = await store.listEdits("usr_a", { limit: 2, cursor: first.nextCursor });
      const third = await store.listEdits("usr_a", { limit: 2, cursor: second.nextCursor });
      // Assess
      const ids = [...first.items, ...second.items, ...third.items].map((e) => e.id);
      expect(ids).toEqual([edits[4]!.id, edits[3]!.id, "edt_tie_b", "edt_tie_a", edits[0]!.id]);
      expect(third.nextCursor).toBeNull();
      expect((await store.listEdits("usr_c", { limit: 10 })).items).toEqual([]);
    });

    it("refuses an invalid cursor", async () => {
      await expect(store.listEdits("usr_a", { limit: 2, cursor: "not-a-cursor" })).rejects.toBeInstanceOf(
        ValidationError,
      );
    });

    it("finds every user's edits by status, oldest first", async () => {
      // Prepare
      const older = anEdit({ status: "queued", userId: "usr_b", createdAt: "2026-11-25T08:00:00.000Z" });
      const newer = anEdit({ status: "queued", createdAt: "2026-11-25T09:00:00.000Z" });
      const running = anEdit({ status: "running", createdAt: "2026-11-25T07:00:00.000Z" });
      const done = anEdit({ status: "succeeded" });
      for (const edit of [newer, done, running, older]) await store.createEdit(edit);
      await store.createImage(anImage());
      // Act
      const queued = await store.listEditsByStatus(["queued"], 10);
      const unfinished = await store.listEditsByStatus(["queued", "running"], 2);
      // Assess
      expect(queued.map((e) => e.id)).toEqual([older.id, newer.id]);
      expect(unfinished.map((e) => e.id)).toEqual([running.id, older.id]);
      expect(await store.listEditsByStatus([], 10)).toEqual([]);
    });

    it("deletes edits", async () => {
      const edit = anEdit();
      await store.createEdit(edit);
      await store.deleteEdit(edit.id);
      expect(await store.getEdit(edit.id)).toBeNull();
    });
  });
}
