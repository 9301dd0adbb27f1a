import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ValidationError, type Job, type JobQueue } from "@retouch/core";
import { createSqsJobQueue } from "../src/index";
import { startSqsServer, type SqsServer } from "./local-aws";

/** What only the SQS queue has, beyond the JobQueue contract (job-queue.contract.test.ts). */
let sqs: SqsServer;
let counter = 0;
const started: JobQueue[] = [];

beforeAll(async () => {
  sqs = await startSqsServer();
});
afterEach(async () => {
  for (const queue of started.splice(0)) await queue.stop();
});
afterAll(async () => {
  await sqs.stop();
});

async function freshQueue(maxReceiveCount = 3) {
  const name = `jobs-${++counter}`;
  const dlq = await sqs.createQueue(`${name}-dlq`);
  const queueUrl = await sqs.createQueue(name, { dlq, maxReceiveCount });
  return { queueUrl, dlq };
}

async function messagesIn(queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("SQS job queue (local SQS server)", () => {
  it("keeps a job that outlives the visibility timeout hidden from other consumers while it runs, then deletes it", async () => {
    // Prepare: two consumers, as two processes would be
    const { queueUrl } = await freshQueue();
    const runs: Job[] = [];
    const handler = {
      run: async (job: Job) => {
        runs.push(job);
        await new Promise((resolve) => setTimeout(resolve, 2_500));
      },
      abandon: async () => undefined,
    };
    for (let i = 0; i < 2; i++) {
      const queue = createSqsJobQueue({
        client: sqs.client,
        queueUrl,
        visibilityTimeoutSeconds: 1,
        waitTimeSeconds: 1,
      });
      started.push(queue);
      await queue.start(handler);
    }
    // Act
    await started[0]!.enqueue({ editId: "slow", attempt: 1 });
    await until(async () => runs.length === 1 && (await messagesIn(queueUrl)) === 0, "the run to settle");
    // Assess: the heartbeat kept the other consumer from receiving it
    expect(runs).toEqual([{ editId: "slow", attempt: 1 }]);
  });

  it("runs a job whose run rejected again after the visibility timeout, as the next attempt", async () => {
    // Prepare
    const { queueUrl } = await freshQueue();
    const runs: Job[] = [];
    const errors: unknown[] = [];
    const queue = createSqsJobQueue({
      client: sqs.client,
      queueUrl,
      visibilityTimeoutSeconds: 1,
      waitTimeSeconds: 1,
      onError: (error) => errors.push(error),
    });
    started.push(queue);
    await queue.start({
      run: async (job) => {
        runs.push(job);
        if (job.attempt === 1) throw new Error("store unreachable");
      },
      abandon: async () => undefined,
    });
    // Act
    await queue.enqueue({ editId: "flaky", attempt: 1 });
    await until(() => runs.length === 2, "the second attempt");
    // Assess
    expect(runs.map((job) => job.attempt)).toEqual([1, 2]);
    expect(errors).toEqual([new Error("store unreachable")]);
  });

  it("leaves a message that is not a job to the queue's redrive, which moves it to the dead-letter queue", async () => {
    // Prepare
    const { queueUrl, dlq } = await freshQueue(1);
    const errors: unknown[] = [];
    const queue = createSqsJobQueue({
      client: sqs.client,
      queueUrl,
      visibilityTimeoutSeconds: 1,
      waitTimeSeconds: 1,
      onError: (error) => errors.push(error),
    });
    started.push(queue);
    await queue.start({ run: async () => undefined, abandon: async () => undefined });
    // Act
    await sqs.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "not a job" }));
    await until(async () => (await messagesIn(dlq)) === 1, "the dead-letter queue");
    // Assess
    expect(errors[0]).toBeInstanceOf(ValidationError);
    const { Messages = [] } = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: dlq }));
    expect(Messages.map((message) => message.Body)).toEqual(["not a job"]);
  });

  it("names bad options", () => {
    expect(() => createSqsJobQueue({ client: sqs.client, queueUrl: "jobs" })).toThrow(ValidationError);
    expect(() =>
      createSqsJobQueue({ client: sqs.client, queueUrl: "http://127.0.0.1/0/jobs", concurrency: 0 }),
    ).toThrow(/concurrency/);
  });
});
