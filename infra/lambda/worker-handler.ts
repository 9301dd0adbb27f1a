import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Job, JobHandler } from "@retouch/core";

export interface SqsJobHandlerOptions {
  /** The queue's redrive `maxReceiveCount`: on the last receive the edit is abandoned, not run. */
  maxReceiveCount: number;
  /** Time kept back from the function's timeout to record a failure before Lambda stops it. */
  safetyMarginMs?: number;
  onError?(error: unknown, record: SQSRecord): void;
}

/** The message body the SQS job queue sends: `{"editId": "…"}` (other fields are ignored). */
export function parseJobMessage(body: string, receiveCount: number): Job {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error("job message is not JSON");
  }
  const editId = (parsed as { editId?: unknown } | null)?.editId;
  if (typeof editId !== "string" || editId.length === 0) throw new Error("job message has no editId");
  return { editId, attempt: receiveCount };
}

/**
 * The worker's SQS handler (event source with `ReportBatchItemFailures`). Each message is one
 * edit; its SQS receive count is the attempt. The runner records every outcome itself, so a run
 * that settles acknowledges the message; only a throw (the store unreachable, a bad message)
 * reports the item for redelivery. Receives that crashed the function are redelivered by SQS after
 * the visibility timeout; on the last allowed receive the edit is abandoned with a reason rather
 * than run again, so it never stays `running` while its message sits in the DLQ.
 *
 * @example
 * ```ts
 * export const handler = createSqsJobHandler(new EditRunner(deps), { maxReceiveCount: 3 });
 * ```
 */
export function createSqsJobHandler(runner: JobHandler, options: SqsJobHandlerOptions) {
  const margin = options.safetyMarginMs ?? 15_000;
  return async (event: SQSEvent, context: Pick<Context, "getRemainingTimeInMillis">) => {
    const response: SQSBatchResponse = { batchItemFailures: [] };
    for (const record of event.Records) {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
      try {
        const job = parseJobMessage(record.body, receiveCount);
        if (receiveCount >= options.maxReceiveCount) {
          await runner.abandon(job, `the edit's worker stopped ${receiveCount - 1} times before finishing`);
          continue;
        }
        const signal = AbortSignal.timeout(Math.max(1_000, context.getRemainingTimeInMillis() - margin));
        await runner.run(job, signal);
      } catch (error) {
        options.onError?.(error, record);
        response.batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return response;
  };
}
