import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSqsServer, type SqsServer } from "./sqs-server";

let sqs: SqsServer;
let counter = 0;
/** A fresh queue per test, so tests share the server but not messages. */
const freshQueue = (options?: Parameters<SqsServer["createQueue"]>[1]) =>
  sqs.createQueue(`q-${++counter}`, options);

const send = (QueueUrl: string, MessageBody: string) =>
  sqs.client.send(new SendMessageCommand({ QueueUrl, MessageBody }));

const receive = (
  QueueUrl: string,
  extra: { VisibilityTimeout?: number; WaitTimeSeconds?: number; MaxNumberOfMessages?: number } = {},
) =>
  sqs.client
    .send(
      new ReceiveMessageCommand({
        QueueUrl,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
        ...extra,
      }),
    )
    .then((output) => output.Messages ?? []);

const count = async (QueueUrl: string) => {
  const { Attributes } = await sqs.client.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages);
};

beforeAll(async () => {
  sqs = await startSqsServer();
});
afterAll(async () => {
  await sqs.stop();
});

describe("SQS emulator (through the AWS SDK v3)", () => {
  it("sends, receives in order and deletes, with the MD5 the SDK checks", async () => {
    // Prepare
    const queueUrl = await freshQueue();
    await send(queueUrl, "first");
    await send(queueUrl, "second");
    // Act
    const messages = await receive(queueUrl, { MaxNumberOfMessages: 10 });
    for (const message of messages)
      await sqs.client.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    // Assess
    expect(messages.map((m) => m.Body)).toEqual(["first", "second"]);
    expect(messages[0]?.Attributes?.ApproximateReceiveCount).toBe("1");
    expect(await count(queueUrl)).toBe(0);
    expect(await receive(queueUrl)).toEqual([]);
  });

  it("hides a received message until its visibility timeout, then delivers it again with receive count + 1", async () => {
    // Prepare
    const queueUrl = await freshQueue();
    await send(queueUrl, "job");
    const [first] = await receive(queueUrl, { VisibilityTimeout: 1 });
    // Act
    const whileHidden = await receive(queueUrl);
    const [again] = await receive(queueUrl, { WaitTimeSeconds: 2 });
    // Assess
    expect(whileHidden).toEqual([]);
    expect(again?.Body).toBe("job");
    expect(again?.Attributes?.ApproximateReceiveCount).toBe("2");
    expect(again?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
  });

  it("answers a long poll as soon as a message arrives", async () => {
    // Prepare
    const queueUrl = await freshQueue();
    const started = Date.now();
    // Act
    const polling = receive(queueUrl, { WaitTimeSeconds: 5 });
    setTimeout(() => void send(queueUrl, "late"), 200);
    const messages = await polling;
    // Assess
    expect(messages.map((m) => m.Body)).toEqual(["late"]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("extends or ends a message's invisibility with ChangeMessageVisibility", async () => {
    // Prepare
    const queueUrl = await freshQueue();
    await send(queueUrl, "job");
    const [message] = await receive(queueUrl, { VisibilityTimeout: 30 });
    // Act
    await sqs.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: message!.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const [again] = await receive(queueUrl);
    // Assess
    expect(again?.Attributes?.ApproximateReceiveCount).toBe("2");
  });

  it("moves a message to the dead-letter queue after maxReceiveCount receives", async () => {
    // Prepare
    const dlq = await freshQueue();
    const queueUrl = await freshQueue({ dlq, maxReceiveCount: 2 });
    await send(queueUrl, "poison");
    // Act: two receives whose visibility ends at once, then a third
    const counts: string[] = [];
    for (let i = 0; i < 2; i++) {
      const [message] = await receive(queueUrl, { VisibilityTimeout: 0 });
      counts.push(message!.Attributes!.ApproximateReceiveCount!);
    }
    const third = await receive(queueUrl);
    const [dead] = await receive(dlq);
    // Assess
    expect(counts).toEqual(["1", "2"]);
    expect(third).toEqual([]);
    expect(dead?.Body).toBe("poison");
  });

  it("keeps a message when deleted with a stale receipt handle", async () => {
    // Prepare
    const queueUrl = await freshQueue();
    await send(queueUrl, "job");
    const [first] = await receive(queueUrl, { VisibilityTimeout: 0 });
    await receive(queueUrl, { VisibilityTimeout: 0 });
    // Act
    await sqs.client.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first!.ReceiptHandle }),
    );
    // Assess
    expect(await count(queueUrl)).toBe(1);
  });

  it("answers errors in the JSON protocol's shape, which the SDK maps to its typed exceptions", async () => {
    // Prepare
    const queueUrl = await freshQueue();
    // Act
    const missing = await sqs.client
      .send(new GetQueueUrlCommand({ QueueName: "no-such-queue" }))
      .catch((e: unknown) => e);
    const badHandle = await sqs.client
      .send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: "made-up" }))
      .catch((e: unknown) => e);
    const raw = await fetch(sqs.endpoint, {
      method: "POST",
      headers: { "x-amz-target": "AmazonSQS.GetQueueUrl", "content-type": "application/x-amz-json-1.0" },
      body: JSON.stringify({ QueueName: "no-such-queue" }),
    });
    // Assess
    expect(missing).toBeInstanceOf(QueueDoesNotExist);
    expect(badHandle).toBeInstanceOf(ReceiptHandleIsInvalid);
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({
      __type: "com.amazonaws.sqs#QueueDoesNotExist",
      message: expect.stringContaining("no-such-queue"),
    });
  });
});
