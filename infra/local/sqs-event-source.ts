import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { lambdaContext } from "./lambda-context";

export interface SqsEventSourceOptions {
  client: SQSClient;
  queueUrl: string;
  /** Messages per invocation (the stack's `batchSize`). */
  batchSize: number;
  /** Invocations at a time (the stack's `maxConcurrency`). */
  concurrency: number;
  /** The function's timeout, for the context's `getRemainingTimeInMillis`. */
  functionTimeoutMs: number;
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;
  /** An invocation that threw, or a poll that failed; the messages stay on the queue. */
  onError?(error: unknown): void;
}

function arnOf(queueUrl: string): string {
  const { hostname, pathname } = new URL(queueUrl);
  const [account, name] = pathname.split("/").filter(Boolean);
  const region = /sqs\.([a-z0-9-]+)\./.exec(hostname)?.[1] ?? "us-east-1";
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? "",
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? "000000000000",
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(":")[3]!,
  };
}

/**
 * The messages to delete after an invocation, as an event source mapping with
 * `ReportBatchItemFailures` decides: all of them when the function returns no failures, none
 * when it throws or reports an id that is not in the batch, else all but the reported ones.
 */
export function settledMessages(records: SQSRecord[], response: SQSBatchResponse | void): SQSRecord[] {
  const failures = response?.batchItemFailures ?? [];
  const ids = new Set(records.map((record) => record.messageId));
  if (failures.some((failure) => !failure.itemIdentifier || !ids.has(failure.itemIdentifier))) return [];
  const failed = new Set(failures.map((failure) => failure.itemIdentifier));
  return records.filter((record) => !failed.has(record.messageId));
}

/**
 * A Lambda event source mapping for an SQS queue: pollers long-poll the queue, hand each batch to
 * `handler` as an `SQSEvent`, and delete the messages it settled (`ReportBatchItemFailures`).
 * Messages it did not settle stay in flight until the queue's visibility timeout makes them
 * visible again, so SQS redelivers them and its redrive policy moves them to the DLQ in the end.
 *
 * @example
 * ```ts
 * const source = startSqsEventSource({ client, queueUrl, batchSize: 1, concurrency: 2,
 *   functionTimeoutMs: 300_000, handler: createWorker(env, options) });
 * await source.stop();
 * ```
 */
export function startSqsEventSource(options: SqsEventSourceOptions): { stop(): Promise<void> } {
  const stopping = new AbortController();
  const queueArn = arnOf(options.queueUrl);

  async function poll(): Promise<void> {
    while (!stopping.signal.aborted) {
      let messages: Message[];
      try {
        ({ Messages: messages = [] } = await options.client.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: 20,
            MessageSystemAttributeNames: ["All"],
          }),
          { abortSignal: stopping.signal },
        ));
      } catch (error) {
        if (stopping.signal.aborted) return;
        options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        continue;
      }
      if (messages.length === 0) continue;
      const records = messages.map((message) => toRecord(message, queueArn));
      let response: SQSBatchResponse | void;
      try {
        response = await options.handler(
          { Records: records },
          lambdaContext("ImageEditWorker", options.functionTimeoutMs, 2048),
        );
      } catch (error) {
        options.onError?.(error);
        continue;
      }
      for (const record of settledMessages(records, response))
        await options.client
          .send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: record.receiptHandle }))
          .catch((error: unknown) => options.onError?.(error));
    }
  }

  const pollers = Array.from({ length: options.concurrency }, () => poll());
  return {
    async stop() {
      stopping.abort();
      await Promise.all(pollers);
    },
  };
}
