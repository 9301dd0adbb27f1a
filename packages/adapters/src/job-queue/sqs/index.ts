import { setTimeout as sleep } from "node:timers/promises";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { z } from "zod";
import {
  JobInterruptedError,
  ValidationError,
  type Job,
  type JobHandler,
  type JobQueue,
} from "@retouch/core";
import { encodeJobMessage, parseJobMessage, runJobMessage } from "./job-message";

export { encodeJobMessage, parseJobMessage, runJobMessage } from "./job-message";

const OptionsSchema = z.object({
  queueUrl: z.url(),
  concurrency: z.number().int().min(1).default(1),
  maxAttempts: z.number().int().min(1).default(2),
  visibilityTimeoutSeconds: z.number().int().min(1).max(43_200).default(60),
  waitTimeSeconds: z.number().int().min(0).max(20).default(20),
});

export interface SqsJobQueueOptions {
  /** Injected so callers choose region, credentials and endpoint (e.g. the local SQS server). */
  client: SQSClient;
  queueUrl: string;
  /** Jobs `start` runs at the same time (default 1). */
  concurrency?: number;
  /**
   * Runs of one edit (default 2); the next receive abandons it. The queue's redrive
   * `maxReceiveCount` should be at least `maxAttempts + 1`, so the abandoning receive happens.
   */
  maxAttempts?: number;
  /** How long a received job stays hidden from other consumers (default 60 s); renewed while it runs. */
  visibilityTimeoutSeconds?: number;
  /** Long-poll wait of each receive (default 20 s, SQS's maximum). */
  waitTimeSeconds?: number;
  /** Called when a handler rejects or an SQS call fails; the queue goes on. */
  onError?: (error: unknown, job: Job | null) => void;
}

/** Edit ids remembered for cancel and de-duplication; old ones are forgotten first. */
const REMEMBERED_IDS = 1000;
/** Pause after a failed receive, so an unreachable queue is not hammered. */
const RECEIVE_RETRY_MS = 1000;

/** A set that forgets its oldest entries beyond `limit` (insertion order). */
function boundedSet(limit: number) {
  const ids = new Set<string>();
  return {
    add(id: string) {
      ids.delete(id);
      ids.add(id);
      if (ids.size > limit) ids.delete(ids.values().next().value as string);
    },
    has: (id: string) => ids.has(id),
    delete: (id: string) => ids.delete(id),
  };
}

/**
 * A `JobQueue` on Amazon SQS. `enqueue` sends `{"editId","attempt"}`. On AWS the worker Lambda's
 * event source consumes the queue (see `runJobMessage`, which this queue's own consumer shares);
 * `start` is the consumer for long-running processes: it long-polls, runs up to `concurrency`
 * jobs, renews a running job's visibility (heartbeat), deletes each message once its run
 * settles, and takes a job's SQS receive count as its attempt, abandoning it past `maxAttempts`.
 * A run that rejects without being canceled leaves its message to come back after the visibility
 * timeout, as a Lambda batch-item failure does. Recovery after a crash is SQS's own: the dead
 * consumer's messages become visible again, so `start` reports none re-queued or abandoned.
 *
 * `cancel` aborts a job running in this process and drops one this process has not yet
 * received; a job received elsewhere finds its edit `canceled` and does not run. Enqueueing again
 * an id this process sent and has not received yet is a no-op (SQS cannot de-duplicate a standard
 * queue). Both are remembered for the last 1,000 ids.
 *
 * @example
 * ```ts
 * const queue = createJobQueue({ client: new SQSClient({}), queueUrl, concurrency: 2, maxAttempts: 2 });
 * await queue.start(new EditRunner(deps));
 * await queue.enqueue({ editId: "edt_1", attempt: 1 });
 * ```
 */
export function createJobQueue(options: SqsJobQueueOptions): JobQueue {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success)
    throw new ValidationError(`Bad SQS job queue options: ${z.prettifyError(parsed.error)}`);
  const { queueUrl, concurrency, maxAttempts, visibilityTimeoutSeconds, waitTimeSeconds } = parsed.data;
  const { client } = options;
  const onError = (error: unknown, job: Job | null) => options.onError?.(error, job);

  const inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const canceled = boundedSet(REMEMBERED_IDS);
  const waiting = boundedSet(REMEMBERED_IDS);
  let polling: { controller: AbortController; done: Promise<void> } | null = null;
  let wake = () => {};

  const send = (job: Job) =>
    client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: encodeJobMessage(job) }));
  const remove = (receiptHandle: string) =>
    client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));

  const launch = (message: Message, handler: JobHandler) => {
    const receiptHandle = message.ReceiptHandle ?? "";
    let job: Job;
    try {
      job = parseJobMessage(message.Body ?? "", Number(message.Attributes?.ApproximateReceiveCount) || 1);
    } catch (error) {
      // Left alone: it comes back until the queue's redrive moves it to the dead-letter queue.
      onError(error, null);
      return;
    }
    waiting.delete(job.editId);
    // Canceled before it ran here, or a second delivery of a job running here: nothing to run.
    if (canceled.delete(job.editId) || inFlight.has(job.editId)) {
      remove(receiptHandle).catch((error: unknown) => onError(error, job));
      return;
    }
    const controller = new AbortController();
    const heartbeat = setInterval(() => {
      client
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: visibilityTimeoutSeconds,
          }),
        )
        .catch((error: unknown) => onError(error, job));
    }, visibilityTimeoutSeconds * 500);
    const done = (async () => {
      let settled = true;
      try {
        await runJobMessage(handler, job, { maxAttempts, signal: controller.signal });
      } catch (error) {
        onError(error, job);
        settled = controller.signal.aborted;
      }
      clearInterval(heartbeat);
      try {
        if (controller.signal.reason instanceof JobInterruptedError) {
          // Shutting down: the job goes back as the same attempt, to resume on the next start.
          await send(job);
          await remove(receiptHandle);
        } else if (settled) {
          await remove(receiptHandle);
        }
      } catch (error) {
        onError(error, job);
      }
      inFlight.delete(job.editId);
      wake();
    })();
    inFlight.set(job.editId, { controller, done });
  };

  const poll = async (handler: JobHandler, signal: AbortSignal) => {
    while (!signal.aborted) {
      const free = concurrency - inFlight.size;
      if (free <= 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      let messages: Message[];
      try {
        const output = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: Math.min(10, free),
            VisibilityTimeout: visibilityTimeoutSeconds,
            WaitTimeSeconds: waitTimeSeconds,
            MessageSystemAttributeNames: ["ApproximateReceiveCount"],
          }),
          { abortSignal: signal },
        );
        messages = output.Messages ?? [];
      } catch (error) {
        if (signal.aborted) return;
        onError(error, null);
        await sleep(RECEIVE_RETRY_MS, undefined, { signal }).catch(() => undefined);
        continue;
      }
      for (const message of messages) launch(message, handler);
    }
  };

  return {
    async enqueue(job) {
      if (waiting.has(job.editId)) return;
      canceled.delete(job.editId);
      waiting.add(job.editId);
      try {
        await send(job);
      } catch (error) {
        waiting.delete(job.editId);
        throw error;
      }
    },

    async start(handler) {
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ["ApproximateNumberOfMessages"],
        }),
      );
      const controller = new AbortController();
      polling = { controller, done: poll(handler, controller.signal) };
      return { requeued: 0, abandoned: 0, pending: Number(Attributes?.ApproximateNumberOfMessages ?? 0) };
    },

    async cancel(editId) {
      const running = inFlight.get(editId);
      if (running) {
        running.controller.abort(new DOMException("The edit was canceled", "AbortError"));
        return;
      }
      waiting.delete(editId);
      canceled.add(editId);
    },

    async stop() {
      const current = polling;
      polling = null;
      current?.controller.abort();
      wake();
      const running = [...inFlight.values()];
      for (const { controller } of running)
        controller.abort(new JobInterruptedError("the server is shutting down"));
      await Promise.all([current?.done, ...running.map(({ done }) => done)]);
    },
  };
}
