import { z } from "zod";
import { ValidationError, type Job, type JobHandler } from "@retouch/core";

/**
 * `attempt` is the attempt of the message's first receive: 1 for a new edit, more for an edit
 * re-queued after a shutdown or a crash sweep, so re-sending does not reset its count.
 */
const JobMessageSchema = z.object({
  editId: z.string().min(1),
  attempt: z.number().int().positive().optional(),
});

/**
 * The body of a job message: `{"editId":"…","attempt":N}`.
 *
 * @example
 * ```ts
 * encodeJobMessage({ editId: "edt_1", attempt: 1 }); // '{"editId":"edt_1","attempt":1}'
 * ```
 */
export function encodeJobMessage(job: Job): string {
  return JSON.stringify({ editId: job.editId, attempt: job.attempt });
}

/**
 * Reads a job message. Each receive of one message is one more attempt: the attempt is the
 * body's `attempt` (1 when absent) plus the receives before this one. Other fields are ignored.
 * Throws `ValidationError` for a body that is not a job message.
 *
 * @example
 * ```ts
 * parseJobMessage('{"editId":"edt_1"}', 2); // { editId: "edt_1", attempt: 2 }
 * ```
 */
export function parseJobMessage(body: string, receiveCount: number): Job {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ValidationError("job message is not JSON");
  }
  const message = JobMessageSchema.safeParse(parsed);
  if (!message.success) throw new ValidationError("job message has no editId", z.treeifyError(message.error));
  return {
    editId: message.data.editId,
    attempt: (message.data.attempt ?? 1) + Math.max(1, receiveCount) - 1,
  };
}

/**
 * What a consumer does with one received job, the same for the queue's own poller and for the
 * Lambda event source: runs it, or — past `maxAttempts`, because the workers before it stopped
 * or failed without settling the message — abandons it with a reason, so the edit never stays
 * `running` while its message goes to the dead-letter queue. Rejects when the handler does.
 *
 * @example
 * ```ts
 * const job = parseJobMessage(record.body, Number(record.attributes.ApproximateReceiveCount));
 * await runJobMessage(runner, job, { maxAttempts: 2, signal: AbortSignal.timeout(60_000) });
 * ```
 */
export async function runJobMessage(
  handler: JobHandler,
  job: Job,
  options: { maxAttempts: number; signal: AbortSignal },
): Promise<"ran" | "abandoned"> {
  if (job.attempt > options.maxAttempts) {
    await handler.abandon(
      job,
      `The worker stopped before this edit finished (attempt ${job.attempt - 1} of ${options.maxAttempts})`,
    );
    return "abandoned";
  }
  await handler.run(job, options.signal);
  return "ran";
}
