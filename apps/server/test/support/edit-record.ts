import type { EditRecord } from "@retouch/core";

/** A queued edit record as the API writes it; tests use it to plant records past the API. */
export function queuedEdit(
  fields: Pick<EditRecord, "id" | "userId" | "sourceImageId" | "maskImageId">,
): EditRecord {
  const now = new Date().toISOString();
  return {
    status: "queued",
    operation: "erase",
    engine: "local-fill",
    prompt: null,
    negativePrompt: null,
    count: 1,
    seed: 5,
    margins: null,
    options: {},
    resultImageIds: [],
    progress: 0,
    attempts: 0,
    durationMs: null,
    error: null,
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
}
