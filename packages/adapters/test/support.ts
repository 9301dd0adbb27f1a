import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EditRecord, ImageRecord } from "@retouch/core";

/** A fresh temp folder and a function that removes it. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `retouch-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

let counter = 0;

/** A valid edit record; `overrides` set what a test cares about. */
export function anEdit(overrides: Partial<EditRecord> = {}): EditRecord {
  counter++;
  const now = new Date(Date.UTC(2026, 10, 25, 0, 0, counter)).toISOString();
  return {
    id: `edt_${counter.toString().padStart(6, "0")}`,
    userId: "usr_a",
    status: "queued",
    operation: "inpaint",
    engine: "local-fill",
    prompt: null,
    negativePrompt: null,
    count: 1,
    seed: 7,
    margins: null,
    options: {},
    sourceImageId: "img_src",
    maskImageId: "img_mask",
    resultImageIds: [],
    progress: 0,
    attempts: 0,
    durationMs: null,
    error: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

/** A valid, pending image record. */
export function anImage(overrides: Partial<ImageRecord> = {}): ImageRecord {
  counter++;
  const now = new Date().toISOString();
  const id = `img_${counter.toString().padStart(6, "0")}`;
  return {
    id,
    userId: "usr_a",
    purpose: "source",
    status: "pending",
    key: `users/usr_a/source/${id}`,
    contentType: "image/png",
    format: null,
    width: null,
    height: null,
    bytes: null,
    sha256: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
