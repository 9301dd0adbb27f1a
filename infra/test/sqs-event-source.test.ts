import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startSqsServer, type SqsServer } from "../../packages/adapters/test/sqs-server";
import { settledMessages, startSqsEventSource } from "../local/sqs-event-source";

/** The cloud-shaped run's event source mapping, on the local SQS server. */
let sqs: SqsServer;

beforeAll(async () => {
  sqs = await startSqsServer();
});
afterAll(async () => {
  await sqs.stop();
});

const record = (messageId: string) => ({ messageId }) as SQSRecord;

async function visible(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["All"] }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

describe("SQS event source", () => {
  it("deletes what the function settled: all, all but the reported failures, or none for an unknown id", () => {
    // Prepare
    const records = ["m1", "m2", "m3"].map(record);
    // Act
    const ids = (response: SQSBatchResponse | void) =>
      settledMessages(records, response).map((settled) => settled.messageId);
    // Assess
    expect(ids(undefined)).toEqual(["m1", "m2", "m3"]);
    expect(ids({ batchItemFailures: [] })).toEqual(["m1", "m2", "m3"]);
    expect(ids({ batchItemFailures: [{ itemIdentifier: "m2" }] })).toEqual(["m1", "m3"]);
    expect(ids({ batchItemFailures: [{ itemIdentifier: "m9" }] })).toEqual([]);
    expect(ids({ batchItemFailures: [{ itemIdentifier: "" }] })).toEqual([]);
  });

  it("hands each message to the function as an SQS event and redelivers a reported failure until the DLQ takes it", async () => {
    // Prepare: a queue that makes a message visible again after 1 s, and two receives at most
    const dlq = await sqs.createQueue("events-dlq");
    const queueUrl = await sqs.createQueue("events", {
      dlq,
      maxReceiveCount: 2,
      visibilityTimeoutSeconds: 1,
    });
    const seen: SQSEvent[] = [];
    const source = startSqsEventSource({
      client: sqs.client,
      queueUrl,
      batchSize: 1,
      concurrency: 2,
      functionTimeoutMs: 300_000,
      handler: async (event, context) => {
        seen.push(event);
        expect(context.getRemainingTimeInMillis()).toBeGreaterThan(299_000);
        const failed = event.Records.filter((r) => r.body === "fails").map((r) => ({
          itemIdentifier: r.messageId,
        }));
        return { batchItemFailures: failed };
      },
    });

    try {
      // Act
      for (const body of ["works", "fails"])
        await sqs.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));

      // Assess: "works" runs once and is deleted; "fails" runs twice, then sits in the DLQ
      await vi.waitFor(
        async () => {
          const { Messages = [] } = await sqs.client.send(
            new ReceiveMessageCommand({ QueueUrl: dlq, WaitTimeSeconds: 1 }),
          );
          expect(Messages.map((message) => message.Body)).toEqual(["fails"]);
        },
        { timeout: 10_000, interval: 100 },
      );
      expect(seen.filter((event) => event.Records[0]!.body === "works")).toHaveLength(1);
      expect(await visible(queueUrl)).toBe(0);
      expect(seen.every((event) => event.Records.length === 1)).toBe(true);
      const attempts = seen
        .filter((event) => event.Records[0]!.body === "fails")
        .map((event) => event.Records[0]!.attributes.ApproximateReceiveCount);
      expect(attempts).toEqual(["1", "2"]);
      expect(seen[0]!.Records[0]).toMatchObject({
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:events",
      });
    } finally {
      await source.stop();
    }
  });
});
