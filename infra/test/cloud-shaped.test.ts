import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { Context, SQSEvent } from "aws-lambda";
import { createCognitoIdentity } from "@retouch/adapters";
import { createEmulatorClient, startBedrockEmulator, type BedrockEmulator } from "@retouch/bedrock-emulator";
import { encodeMaskPng, encodePng } from "@retouch/imaging";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startCognitoLocal,
  startDynalite,
  startS3rver,
  startSqsServer,
  type SqsServer,
} from "../../packages/adapters/test/local-aws";
import { createApi } from "../lambda/api";
import { handler as apiHandler } from "../lambda/api-handler";
import type { AwsClients } from "../lambda/aws-dependencies";
import { createTelemetry } from "../lambda/telemetry";
import { createWorker } from "../lambda/worker";
import { API_SERVICE_NAME, BEDROCK_FAILURES_METRIC } from "../src/environment";

/**
 * Both functions as API Gateway and the SQS event source call them, on local stand-ins for every
 * AWS service: dynalite, s3rver, cognito-local, the local SQS server and the Bedrock emulator.
 */
let dynalite: Awaited<ReturnType<typeof startDynalite>>;
let s3rver: Awaited<ReturnType<typeof startS3rver>>;
let cognito: Awaited<ReturnType<typeof startCognitoLocal>>;
let sqs: SqsServer;
let emulator: BedrockEmulator;
let queueUrl: string;
let env: Record<string, string>;
let clients: AwsClients;
let token: string;

beforeAll(async () => {
  [dynalite, s3rver, cognito, sqs, emulator] = await Promise.all([
    startDynalite(),
    startS3rver(),
    startCognitoLocal(),
    startSqsServer(),
    startBedrockEmulator(),
  ]);
  const dlq = await sqs.createQueue("EditJobDeadLetterQueue");
  queueUrl = await sqs.createQueue("EditJobQueue", { dlq, maxReceiveCount: 3 });
  const pool = await cognito.createPool();
  env = {
    RETOUCH_TABLE_NAME: dynalite.tableName,
    RETOUCH_IMAGES_BUCKET: s3rver.bucket,
    RETOUCH_QUEUE_URL: queueUrl,
    RETOUCH_USER_POOL_ID: pool.userPoolId,
    RETOUCH_USER_POOL_CLIENT_ID: pool.clientId,
    RETOUCH_COGNITO_ISSUER: pool.issuer,
    RETOUCH_MAX_RECEIVE_COUNT: "3",
    RETOUCH_LOG_LEVEL: "silent",
  };
  clients = {
    dynamo: dynalite.client,
    s3: s3rver.client,
    sqs: sqs.client,
    cognito: cognito.client,
    bedrock: createEmulatorClient(emulator),
  };
  const identity = createCognitoIdentity({
    client: cognito.client,
    userPoolId: pool.userPoolId,
    clientId: pool.clientId,
    issuer: pool.issuer,
  });
  await identity.createUser({ username: "ana", temporaryPassword: "Temp-Pass-123!" });
  const first = await identity.signIn("ana", "Temp-Pass-123!");
  if (first.kind !== "challenge") throw new Error("expected NEW_PASSWORD_REQUIRED");
  token = (await identity.completeNewPassword("ana", first.session, "Chosen-Pass-456?")).accessToken;
}, 120_000); // cognito-local's port is fixed: this may wait for another test file to release it
afterAll(async () => {
  await Promise.all([dynalite.stop(), s3rver.stop(), cognito.stop(), sqs.stop(), emulator.close()]);
});

const context = (functionName: string) =>
  ({
    awsRequestId: "req-1",
    functionName,
    getRemainingTimeInMillis: () => 300_000,
  }) as unknown as Context;

/** An API Gateway REST (v1) proxy event of the `prod` stage. */
function restEvent(method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = {
    Host: "abc123.execute-api.us-east-1.amazonaws.com",
    Authorization: `Bearer ${token}`,
    ...(body === undefined ? {} : { "Content-Type": "application/json" }),
  };
  return {
    resource: "/{proxy+}",
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      resourcePath: "/{proxy+}",
      httpMethod: method,
      path: `/prod${path}`,
      accountId: "123456789012",
      protocol: "HTTP/1.1",
      stage: "prod",
      requestTimeEpoch: Date.now(),
      requestId: crypto.randomUUID(),
      identity: { sourceIp: "203.0.113.7", userAgent: "vitest" },
      apiId: "abc123",
    },
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
  } as unknown as Parameters<ReturnType<typeof createApi>>[0];
}

const json = (response: { body: string }) => JSON.parse(response.body) as Record<string, never>;

/** Uploads `bytes` the way the web editor does: reserve, PUT to the signed URL, complete. */
async function upload(
  api: ReturnType<typeof createApi>,
  purpose: "source" | "mask",
  bytes: Uint8Array,
): Promise<string> {
  const reserved = await api(
    restEvent("POST", "/images", { purpose, contentType: "image/png" }),
    context("api"),
  );
  expect(reserved.statusCode).toBe(201);
  const { image, upload: request } = json(reserved) as unknown as {
    image: { id: string };
    upload: { url: string; method: string; headers: Record<string, string> };
  };
  const put = await fetch(request.url, { method: request.method, headers: request.headers, body: bytes });
  expect(put.status).toBe(200);
  const completed = await api(restEvent("POST", `/images/${image.id}/complete`), context("api"));
  expect(completed.statusCode).toBe(200);
  return image.id;
}

describe("cloud-shaped run of the Lambda functions", () => {
  it("takes an edit from upload to result: the API enqueues it on SQS, the worker runs the message with Bedrock", async () => {
    // Prepare
    const api = createApi(env, { clients, telemetry: createTelemetry(API_SERVICE_NAME, "silent") });
    const worker = createWorker(env, {
      clients,
      telemetry: createTelemetry(BEDROCK_FAILURES_METRIC.service, "silent"),
    });
    const size = 64;
    const pixels = new Uint8Array(size * size * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7) % 256));
    const mask = new Uint8Array(size * size);
    for (let y = 20; y < 44; y++) mask.fill(255, y * size + 20, y * size + 44);
    const imageId = await upload(api, "source", await encodePng({ width: size, height: size, data: pixels }));
    const maskImageId = await upload(
      api,
      "mask",
      await encodeMaskPng({ width: size, height: size, data: mask }),
    );

    // Act: the API queues the edit; the event source hands the message to the worker
    const created = await api(
      restEvent("POST", "/edits", { operation: "erase", imageId, maskImageId, engine: "bedrock-stability" }),
      context("api"),
    );
    const { Messages = [] } = await sqs.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    const event: SQSEvent = {
      Records: Messages.map((message) => ({
        messageId: message.MessageId!,
        receiptHandle: message.ReceiptHandle!,
        body: message.Body!,
        attributes: message.Attributes as unknown as SQSEvent["Records"][number]["attributes"],
        messageAttributes: {},
        md5OfBody: message.MD5OfBody!,
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:EditJobQueue",
        awsRegion: "us-east-1",
      })),
    };
    const batch = await worker(event, context("ImageEditWorker"));
    const editId = (json(created) as unknown as { edit: { id: string } }).edit.id;
    const after = await api(restEvent("GET", `/edits/${editId}`), context("api"));

    // Assess
    expect(created.statusCode).toBe(202);
    expect(Messages.map((message) => JSON.parse(message.Body!))).toEqual([{ editId, attempt: 1 }]);
    expect(batch.batchItemFailures).toEqual([]);
    expect(after.statusCode).toBe(200);
    expect(json(after)).toMatchObject({
      edit: { id: editId, status: "succeeded", engine: "bedrock-stability" },
    });
  });

  it("keeps raw uploads under uploads/ until completion moves them, so the lifecycle rule expires only abandoned ones", async () => {
    // Prepare
    const api = createApi(env, { clients, telemetry: createTelemetry(API_SERVICE_NAME, "silent") });
    const keys = async () => {
      const listed = await s3rver.client.send(new ListObjectsV2Command({ Bucket: s3rver.bucket }));
      return (listed.Contents ?? []).map((object) => object.Key!);
    };
    const reserve = async () => {
      const reserved = await api(
        restEvent("POST", "/images", { purpose: "source", contentType: "image/png" }),
        context("api"),
      );
      const body = json(reserved) as unknown as {
        image: { id: string };
        upload: { url: string; method: string; headers: Record<string, string> };
      };
      const put = await fetch(body.upload.url, {
        method: body.upload.method,
        headers: body.upload.headers,
        body: await encodePng({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 4).fill(200) }),
      });
      expect(put.status).toBe(200);
      return body.image.id;
    };

    // Act
    const completedId = await reserve();
    const abandonedId = await reserve();
    const deletedId = await reserve();
    const before = await keys();
    await api(restEvent("POST", `/images/${completedId}/complete`), context("api"));
    const deleted = await api(restEvent("DELETE", `/images/${deletedId}`), context("api"));
    const after = await keys();

    // Assess
    const incoming = (id: string) => after.filter((key) => key.startsWith("uploads/") && key.endsWith(id));
    expect(before.filter((key) => key.startsWith("uploads/"))).toEqual(
      expect.arrayContaining([completedId, abandonedId, deletedId].map((id) => expect.stringContaining(id))),
    );
    expect(after.filter((key) => key.endsWith(completedId))).toEqual([
      expect.stringMatching(new RegExp(`^users/[^/]+/source/${completedId}$`)),
    ]);
    expect(incoming(abandonedId)).toHaveLength(1);
    expect(deleted.statusCode).toBe(204);
    expect(after.filter((key) => key.endsWith(deletedId))).toEqual([]);
  });

  it("lists the Bedrock engine to a signed-in user", async () => {
    // Prepare
    const api = createApi(env, { clients, telemetry: createTelemetry(API_SERVICE_NAME, "silent") });
    // Act
    const response = await api(restEvent("GET", "/engines"), context("api"));
    // Assess
    expect(response.statusCode).toBe(200);
    expect(json(response)).toMatchObject({ engines: [{ id: "bedrock-stability" }] });
  });

  it("api-handler builds nothing on import and names the missing variable on its first request", async () => {
    // Act: no RETOUCH_* variable is set in this process
    const invocation = (async () => apiHandler(restEvent("GET", "/health"), context("api")))();
    // Assess
    await expect(invocation).rejects.toThrow(/RETOUCH_TABLE_NAME/);
  });
});
