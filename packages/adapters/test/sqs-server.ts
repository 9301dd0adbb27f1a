import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { z } from "zod";

const ACCOUNT = "000000000000";
const REGION = "us-east-1";
/** How often a long poll looks again for a message that became visible. */
const LONG_POLL_STEP_MS = 20;

/** An error in the AWS JSON 1.0 protocol's shape, with SQS's query-compatible code header. */
class SqsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly queryCode = `AWS.SimpleQueueService.${type}`,
  ) {
    super(message);
  }
}

interface Message {
  id: string;
  body: string;
  md5: string;
  sentAt: number;
  firstReceivedAt: number | null;
  receiveCount: number;
  visibleAt: number;
  /** The handle of the latest receive; only it can delete or change visibility. */
  receiptHandle: string | null;
}

interface Queue {
  name: string;
  url: string;
  arn: string;
  visibilityTimeout: number;
  receiveWaitTime: number;
  redrive: { deadLetterTargetArn: string; maxReceiveCount: number } | null;
  attributes: Record<string, string>;
  messages: Message[];
}

const Seconds = (max: number) => z.coerce.number().int().min(0).max(max);
const QueueUrlInput = z.object({ QueueUrl: z.string().min(1) });
const RedrivePolicySchema = z.object({
  deadLetterTargetArn: z.string().min(1),
  maxReceiveCount: z.coerce.number().int().min(1).max(1000),
});
const Inputs = {
  CreateQueue: z.object({
    QueueName: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, "QueueName: 1-80 letters, digits, - or _"),
    Attributes: z.record(z.string(), z.string()).optional(),
  }),
  GetQueueUrl: z.object({ QueueName: z.string().min(1) }),
  SendMessage: QueueUrlInput.extend({
    MessageBody: z.string().min(1),
    DelaySeconds: Seconds(900).optional(),
    MessageAttributes: z.unknown().optional(),
  }),
  ReceiveMessage: QueueUrlInput.extend({
    MaxNumberOfMessages: z.number().int().min(1).max(10).optional(),
    VisibilityTimeout: Seconds(43_200).optional(),
    WaitTimeSeconds: Seconds(20).optional(),
    AttributeNames: z.array(z.string()).optional(),
    MessageSystemAttributeNames: z.array(z.string()).optional(),
  }),
  DeleteMessage: QueueUrlInput.extend({ ReceiptHandle: z.string().min(1) }),
  ChangeMessageVisibility: QueueUrlInput.extend({
    ReceiptHandle: z.string().min(1),
    VisibilityTimeout: Seconds(43_200),
  }),
  GetQueueAttributes: QueueUrlInput.extend({ AttributeNames: z.array(z.string()).optional() }),
};

const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");

/** The in-memory state and the actions of the emulator, apart from HTTP. */
function createSqsState(endpoint: () => string) {
  const queues = new Map<string, Queue>();
  /** Every receipt handle ever issued, so a stale one can be told from a made-up one. */
  const issuedHandles = new Set<string>();
  let closed = false;

  const queueFromUrl = (url: string): Queue => {
    const name = url.split("/").filter(Boolean).at(-1) ?? "";
    const queue = queues.get(name);
    if (!queue)
      throw new SqsError(
        "QueueDoesNotExist",
        `The specified queue does not exist: ${url}`,
        "AWS.SimpleQueueService.NonExistentQueue",
      );
    return queue;
  };

  const byHandle = (queue: Queue, handle: string): Message | null => {
    if (!issuedHandles.has(handle))
      throw new SqsError(
        "ReceiptHandleIsInvalid",
        `The receipt handle "${handle}" is not valid`,
        "ReceiptHandleIsInvalid",
      );
    return queue.messages.find((m) => m.receiptHandle === handle) ?? null;
  };

  /** Moves messages received `maxReceiveCount` times to the DLQ, as SQS does on the next receive. */
  const redrive = (queue: Queue, message: Message): boolean => {
    if (!queue.redrive || message.receiveCount < queue.redrive.maxReceiveCount) return false;
    const dlq = [...queues.values()].find((q) => q.arn === queue.redrive!.deadLetterTargetArn);
    queue.messages.splice(queue.messages.indexOf(message), 1);
    dlq?.messages.push({ ...message, receiptHandle: null, visibleAt: Date.now() });
    return true;
  };

  const take = (queue: Queue, max: number, visibilityTimeout: number): Message[] => {
    const now = Date.now();
    const taken: Message[] = [];
    for (const message of [...queue.messages]) {
      if (taken.length >= max) break;
      if (message.visibleAt > now || redrive(queue, message)) continue;
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilityTimeout * 1000;
      message.receiptHandle = `${message.id}#${randomUUID()}`;
      issuedHandles.add(message.receiptHandle);
      taken.push(message);
    }
    return taken;
  };

  const systemAttributes = (message: Message, names: string[]): Record<string, string> => {
    const all: Record<string, string> = {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
      SenderId: ACCOUNT,
    };
    const wanted = names.includes("All") ? Object.keys(all) : names;
    return Object.fromEntries(wanted.filter((name) => name in all).map((name) => [name, all[name]!]));
  };

  const queueAttributes = (queue: Queue): Record<string, string> => {
    const now = Date.now();
    const visible = queue.messages.filter((m) => m.visibleAt <= now);
    return {
      ...queue.attributes,
      QueueArn: queue.arn,
      VisibilityTimeout: String(queue.visibilityTimeout),
      ReceiveMessageWaitTimeSeconds: String(queue.receiveWaitTime),
      ApproximateNumberOfMessages: String(visible.length),
      ApproximateNumberOfMessagesNotVisible: String(
        queue.messages.filter((m) => m.visibleAt > now && m.receiptHandle).length,
      ),
      ApproximateNumberOfMessagesDelayed: String(
        queue.messages.filter((m) => m.visibleAt > now && !m.receiptHandle).length,
      ),
      ...(queue.redrive ? { RedrivePolicy: JSON.stringify(queue.redrive) } : {}),
    };
  };

  const actions = {
    CreateQueue(input: z.infer<typeof Inputs.CreateQueue>) {
      const attributes = input.Attributes ?? {};
      const existing = queues.get(input.QueueName);
      if (existing) {
        const same = Object.entries(attributes).every(([key, value]) => existing.attributes[key] === value);
        if (!same)
          throw new SqsError(
            "QueueNameExists",
            `A queue named ${input.QueueName} exists with other attributes`,
            "QueueAlreadyExists",
          );
        return { QueueUrl: existing.url };
      }
      let redrivePolicy: Queue["redrive"] = null;
      if (attributes.RedrivePolicy) {
        const parsed = RedrivePolicySchema.safeParse(JSON.parse(attributes.RedrivePolicy));
        if (!parsed.success)
          throw new SqsError(
            "InvalidAttributeValue",
            `RedrivePolicy: ${z.prettifyError(parsed.error)}`,
            "InvalidAttributeValue",
          );
        redrivePolicy = parsed.data;
      }
      const queue: Queue = {
        name: input.QueueName,
        url: `${endpoint()}/${ACCOUNT}/${input.QueueName}`,
        arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${input.QueueName}`,
        visibilityTimeout: Seconds(43_200).parse(attributes.VisibilityTimeout ?? 30),
        receiveWaitTime: Seconds(20).parse(attributes.ReceiveMessageWaitTimeSeconds ?? 0),
        redrive: redrivePolicy,
        attributes,
        messages: [],
      };
      queues.set(queue.name, queue);
      return { QueueUrl: queue.url };
    },

    GetQueueUrl(input: z.infer<typeof Inputs.GetQueueUrl>) {
      const queue = queues.get(input.QueueName);
      if (!queue)
        throw new SqsError(
          "QueueDoesNotExist",
          `The specified queue does not exist: ${input.QueueName}`,
          "AWS.SimpleQueueService.NonExistentQueue",
        );
      return { QueueUrl: queue.url };
    },

    SendMessage(input: z.infer<typeof Inputs.SendMessage>) {
      // The SDK checks an MD5 of message attributes, which this server does not compute.
      if (input.MessageAttributes !== undefined)
        throw new SqsError("UnsupportedOperation", "This emulator does not support MessageAttributes");
      const queue = queueFromUrl(input.QueueUrl);
      const now = Date.now();
      const message: Message = {
        id: randomUUID(),
        body: input.MessageBody,
        md5: md5(input.MessageBody),
        sentAt: now,
        firstReceivedAt: null,
        receiveCount: 0,
        visibleAt: now + (input.DelaySeconds ?? 0) * 1000,
        receiptHandle: null,
      };
      queue.messages.push(message);
      return { MessageId: message.id, MD5OfMessageBody: message.md5 };
    },

    async ReceiveMessage(input: z.infer<typeof Inputs.ReceiveMessage>, gone: AbortSignal) {
      const queue = queueFromUrl(input.QueueUrl);
      const max = input.MaxNumberOfMessages ?? 1;
      const visibilityTimeout = input.VisibilityTimeout ?? queue.visibilityTimeout;
      const deadline = Date.now() + (input.WaitTimeSeconds ?? queue.receiveWaitTime) * 1000;
      const names = [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])];
      // A caller that hung up must not take messages: they would stay invisible with no one to run them.
      let taken = take(queue, max, visibilityTimeout);
      while (taken.length === 0 && Date.now() < deadline && !closed && !gone.aborted) {
        await new Promise((resolve) => setTimeout(resolve, LONG_POLL_STEP_MS));
        if (!gone.aborted) taken = take(queue, max, visibilityTimeout);
      }
      return {
        Messages: taken.map((message) => ({
          MessageId: message.id,
          ReceiptHandle: message.receiptHandle,
          MD5OfBody: message.md5,
          Body: message.body,
          ...(names.length > 0 ? { Attributes: systemAttributes(message, names) } : {}),
        })),
      };
    },

    DeleteMessage(input: z.infer<typeof Inputs.DeleteMessage>) {
      const queue = queueFromUrl(input.QueueUrl);
      // Like SQS, a stale handle (the message was received again since) succeeds without deleting.
      const message = byHandle(queue, input.ReceiptHandle);
      if (message) queue.messages.splice(queue.messages.indexOf(message), 1);
      return {};
    },

    ChangeMessageVisibility(input: z.infer<typeof Inputs.ChangeMessageVisibility>) {
      const queue = queueFromUrl(input.QueueUrl);
      const message = byHandle(queue, input.ReceiptHandle);
      if (!message || message.visibleAt <= Date.now())
        throw new SqsError("MessageNotInflight", "The message is not in flight for this receipt handle");
      message.visibleAt = Date.now() + input.VisibilityTimeout * 1000;
      return {};
    },

    GetQueueAttributes(input: z.infer<typeof Inputs.GetQueueAttributes>) {
      const all = queueAttributes(queueFromUrl(input.QueueUrl));
      const names = input.AttributeNames ?? [];
      const wanted = names.includes("All") ? Object.keys(all) : names;
      return {
        Attributes: Object.fromEntries(
          wanted.filter((name) => name in all).map((name) => [name, all[name]!]),
        ),
      };
    },
  };

  return {
    actions,
    close() {
      closed = true;
    },
  };
}

type Action = keyof typeof Inputs;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function reply(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  if (response.destroyed) return;
  response.writeHead(status, {
    "content-type": "application/x-amz-json-1.0",
    "x-amzn-requestid": randomUUID(),
    ...headers,
  });
  response.end(JSON.stringify(body));
}

function replyError(response: ServerResponse, error: SqsError, status = 400) {
  reply(
    response,
    status,
    { __type: `com.amazonaws.sqs#${error.type}`, message: error.message },
    { "x-amzn-query-error": `${error.queryCode};Sender` },
  );
}

export interface SqsServer {
  /** `http://127.0.0.1:PORT`; also the host of every queue URL. */
  endpoint: string;
  /** The real AWS SDK client pointed at this server with dummy credentials. */
  client: SQSClient;
  /**
   * Creates (or returns) a queue and its URL. `dlq` is the URL of a queue created earlier: after
   * `maxReceiveCount` receives (default 3) a message moves there on its next receive.
   */
  createQueue(
    name: string,
    options?: { dlq?: string; maxReceiveCount?: number; visibilityTimeoutSeconds?: number },
  ): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A small SQS-compatible server in memory, speaking the AWS JSON 1.0 protocol the AWS SDK v3
 * uses (`POST /`, `X-Amz-Target: AmazonSQS.<Action>`): CreateQueue, GetQueueUrl, SendMessage,
 * ReceiveMessage (long polling, visibility timeout, `ApproximateReceiveCount`), DeleteMessage,
 * ChangeMessageVisibility, GetQueueAttributes, and redrive to a dead-letter queue. Standard
 * queues only, delivered in send order; signatures are not checked.
 *
 * @example
 * ```ts
 * const sqs = await startSqsServer();
 * const dlq = await sqs.createQueue("jobs-dlq");
 * const queueUrl = await sqs.createQueue("jobs", { dlq, maxReceiveCount: 3 });
 * await sqs.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "{}" }));
 * await sqs.stop();
 * ```
 */
export async function startSqsServer(options: { port?: number; host?: string } = {}): Promise<SqsServer> {
  const host = options.host ?? "127.0.0.1";
  let endpoint = "";
  const state = createSqsState(() => endpoint);

  const server = createServer((request, response) => {
    const gone = new AbortController();
    response.on("close", () => gone.abort());
    void (async () => {
      try {
        const target = String(request.headers["x-amz-target"] ?? "");
        const action = target.startsWith("AmazonSQS.") ? target.slice("AmazonSQS.".length) : "";
        if (request.method !== "POST" || !(action in Inputs))
          throw new SqsError(
            "UnsupportedOperation",
            `This emulator does not support "${target || request.method}"`,
          );
        const raw = await readBody(request);
        let json: unknown;
        try {
          json = JSON.parse(raw || "{}");
        } catch {
          throw new SqsError("InvalidParameterValue", "The request body is not JSON");
        }
        const parsed = Inputs[action as Action].safeParse(json);
        if (!parsed.success)
          throw new SqsError("InvalidParameterValue", z.prettifyError(parsed.error), "InvalidParameterValue");
        const handler = state.actions[action as Action] as (input: unknown, gone: AbortSignal) => unknown;
        reply(response, 200, await handler(parsed.data, gone.signal));
      } catch (error) {
        if (error instanceof SqsError) replyError(response, error);
        else replyError(response, new SqsError("InternalError", String(error), "InternalError"), 500);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, () => resolve()));
  endpoint = `http://${host}:${(server.address() as AddressInfo).port}`;
  const client = new SQSClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });

  return {
    endpoint,
    client,
    async createQueue(name, queueOptions = {}) {
      const attributes: Record<string, string> = {};
      if (queueOptions.visibilityTimeoutSeconds !== undefined)
        attributes.VisibilityTimeout = String(queueOptions.visibilityTimeoutSeconds);
      if (queueOptions.dlq) {
        const dlqName = queueOptions.dlq.split("/").at(-1);
        attributes.RedrivePolicy = JSON.stringify({
          deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${dlqName}`,
          maxReceiveCount: queueOptions.maxReceiveCount ?? 3,
        });
      }
      const { QueueUrl } = await client.send(
        new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
      );
      return QueueUrl!;
    },
    async stop() {
      state.close();
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
