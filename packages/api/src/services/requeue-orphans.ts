import type { JobQueue, MetadataStore } from "@retouch/core";

/** Most edits looked at in one start-up sweep. */
const SWEEP_LIMIT = 10_000;

/**
 * Queues every edit recorded as `queued` whose job the queue may never have received (the
 * process died between writing the record and enqueueing). Enqueueing an edit the queue already
 * holds is a no-op, so the sweep is safe to run at every start.
 *
 * @example
 * ```ts
 * await queue.start(runner);
 * const orphans = await requeueOrphanedEdits(metadata, queue);
 * ```
 */
export async function requeueOrphanedEdits(metadata: MetadataStore, queue: JobQueue): Promise<number> {
  const queued = await metadata.listEditsByStatus(["queued"], SWEEP_LIMIT);
  for (const edit of queued) await queue.enqueue({ editId: edit.id, attempt: edit.attempts + 1 });
  return queued.length;
}
