import type { Context, SQSEvent } from "aws-lambda";
import { createDynamoMetadataStore, createS3BlobStore } from "@retouch/adapters";
import { createEmulatorClient, startBedrockEmulator, type BedrockEmulator } from "@retouch/bedrock-emulator";
import type { EditRecord, MetadataStore } from "@retouch/core";
import { encodeMaskPng, encodePng } from "@retouch/imaging";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { anEdit, anImage } from "../../packages/adapters/test/support";
import { startDynalite, startS3rver } from "../../packages/adapters/test/local-aws";
import { createTelemetry } from "../lambda/telemetry";
import { createWorker } from "../lambda/worker";
import { handler } from "../lambda/worker-handler";
import { BEDROCK_FAILURES_METRIC } from "../src/environment";

let dynalite: Awaited<ReturnType<typeof startDynalite>>;
let s3rver: Awaited<ReturnType<typeof startS3rver>>;
let emulator: BedrockEmulator;
let metadata: MetadataStore;

beforeAll(async () => {
  [dynalite, s3rver, emulator] = await Promise.all([startDynalite(), startS3rver(), startBedrockEmulator()]);
  metadata = createDynamoMetadataStore({ client: dynalite.client, tableName: dynalite.tableName });
});
afterAll(async () => {
  await Promise.all([dynalite.stop(), s3rver.stop(), emulator.close()]);
});
afterEach(() => {
  emulator.faults.reset();
  vi.restoreAllMocks();
});

const context = {
  awsRequestId: "req-1",
  functionName: "ImageEditWorker",
  getRemainingTimeInMillis: () => 300_000,
} as unknown as Context;

/** A queued erase of a 64×64 gradient with a square painted in its middle, stored like the API stores it. */
async function queuedErase(): Promise<EditRecord> {
  const blobs = createS3BlobStore({ client: s3rver.client, bucket: s3rver.bucket });
  const size = 64;
  const data = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) data.set([i % size, 128, (i / size) * 4, 255], i * 4);
  const mask = new Uint8Array(size * size);
  for (let y = 24; y < 40; y++) mask.fill(255, y * size + 24, y * size + 40);
  const source = anImage({ status: "ready", format: "png", width: size, height: size });
  const maskImage = anImage({ purpose: "mask", status: "ready", format: "png", width: size, height: size });
  await blobs.put(source.key, await encodePng({ width: size, height: size, data }), {
    contentType: "image/png",
  });
  await blobs.put(maskImage.key, await encodeMaskPng({ width: size, height: size, data: mask }), {
    contentType: "image/png",
  });
  await metadata.createImage(source);
  await metadata.createImage(maskImage);
  const edit = anEdit({
    operation: "erase",
    engine: "bedrock-stability",
    sourceImageId: source.id,
    maskImageId: maskImage.id,
  });
  await metadata.createEdit(edit);
  return edit;
}

/** An SQS event as the Lambda event source delivers it. */
function sqsEvent(body: string, receiveCount = 1): SQSEvent {
  return {
    Records: [
      {
        messageId: "msg-1",
        receiptHandle: "rh-1",
        body,
        attributes: {
          ApproximateReceiveCount: String(receiveCount),
          SentTimestamp: "0",
          SenderId: "000000000000",
          ApproximateFirstReceiveTimestamp: "0",
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:EditJobQueue",
        awsRegion: "us-east-1",
      },
    ],
  };
}

/** Runs `work` with stdout captured (Powertools writes logs and EMF metrics there), as JSON lines. */
async function capturingStdout<T>(
  work: () => Promise<T>,
): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const written: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  const result = await work();
  vi.restoreAllMocks();
  const lines = written
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { result, lines };
}

/** Names of the metrics in the EMF lines, with their namespace and service. */
function metricsIn(lines: Record<string, unknown>[]) {
  return lines
    .filter((line) => "_aws" in line)
    .flatMap((line) => {
      const aws = line._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] };
      return aws.CloudWatchMetrics.flatMap((group) =>
        group.Metrics.map((metric) => ({
          name: metric.Name,
          value: line[metric.Name],
          namespace: group.Namespace,
          service: line.service,
        })),
      );
    });
}

const workerEnv = () => ({
  RETOUCH_TABLE_NAME: dynalite.tableName,
  RETOUCH_IMAGES_BUCKET: s3rver.bucket,
  RETOUCH_MAX_RECEIVE_COUNT: "3",
  RETOUCH_LOG_LEVEL: "silent",
});

/** A worker on the local stand-ins, with a Bedrock client of its own (the failure counter hooks into it). */
const localWorker = () =>
  createWorker(workerEnv(), {
    clients: { dynamo: dynalite.client, s3: s3rver.client, bedrock: createEmulatorClient(emulator) },
    telemetry: createTelemetry(BEDROCK_FAILURES_METRIC.service, "info"),
  });

describe("worker function (dynalite, s3rver, Bedrock emulator)", () => {
  it("runs the edit of an SQS message with Bedrock, stores the result and counts EditsSucceeded", async () => {
    // Prepare
    const edit = await queuedErase();
    const worker = localWorker();
    // Act
    const { result, lines } = await capturingStdout(() =>
      worker(sqsEvent(JSON.stringify({ editId: edit.id })), context),
    );
    // Assess
    expect(result.batchItemFailures).toEqual([]);
    const after = await metadata.getEdit(edit.id);
    expect(after).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(after?.resultImageIds).toHaveLength(1);
    expect(metricsIn(lines)).toContainEqual({
      name: "EditsSucceeded",
      value: 1,
      namespace: "Retouch",
      service: "retouch-worker",
    });
    const logged = lines.find((line) => line.message === "edit succeeded");
    expect(logged).toMatchObject({ editId: edit.id, function_request_id: "req-1" });
  });

  it("fails the edit when Bedrock refuses access, and counts EditsFailed and BedrockFailures for the alarm", async () => {
    // Prepare
    const edit = await queuedErase();
    const worker = localWorker();
    emulator.faults.denyAccessNext(1);
    // Act
    const { result, lines } = await capturingStdout(() =>
      worker(sqsEvent(JSON.stringify({ editId: edit.id })), context),
    );
    // Assess
    expect(result.batchItemFailures).toEqual([]);
    const after = await metadata.getEdit(edit.id);
    expect(after?.status).toBe("failed");
    expect(after?.error?.message).toMatch(/no access to Bedrock model/);
    const metrics = metricsIn(lines);
    expect(metrics).toContainEqual({
      name: "EditsFailed",
      value: 1,
      namespace: "Retouch",
      service: "retouch-worker",
    });
    expect(metrics).toContainEqual({
      name: BEDROCK_FAILURES_METRIC.metricName,
      value: 1,
      namespace: BEDROCK_FAILURES_METRIC.namespace,
      service: BEDROCK_FAILURES_METRIC.service,
    });
  });

  it("abandons the edit on the queue's last receive instead of running it", async () => {
    // Prepare
    const edit = await queuedErase();
    const worker = localWorker();
    const before = emulator.invocations;
    // Act
    const { lines } = await capturingStdout(() =>
      worker(sqsEvent(JSON.stringify({ editId: edit.id }), 3), context),
    );
    // Assess
    expect(await metadata.getEdit(edit.id)).toMatchObject({
      status: "failed",
      error: { code: "interrupted" },
    });
    expect(emulator.invocations).toBe(before);
    expect(metricsIn(lines).map((metric) => metric.name)).toContain("EditsAbandoned");
  });

  it("acknowledges a redelivered message of a finished edit without calling Bedrock again", async () => {
    // Prepare: SQS delivers at least once, so a finished edit's message may arrive again
    const edit = await queuedErase();
    const worker = localWorker();
    await capturingStdout(() => worker(sqsEvent(JSON.stringify({ editId: edit.id })), context));
    const finished = await metadata.getEdit(edit.id);
    const before = emulator.invocations;

    // Act
    const { result, lines } = await capturingStdout(() =>
      worker(sqsEvent(JSON.stringify({ editId: edit.id }), 2), context),
    );

    // Assess: acknowledged, no second invocation or success metric, the record and its results unchanged
    expect(result.batchItemFailures).toEqual([]);
    expect(metricsIn(lines)).toEqual([]);
    expect(emulator.invocations).toBe(before);
    expect(await metadata.getEdit(edit.id)).toEqual(finished);
  });

  it("leaves a duplicate delivery of a running attempt for later and lets a later attempt take over", async () => {
    // Prepare: attempt 1 is running elsewhere (SQS delivered its message twice)
    const edit = await queuedErase();
    await metadata.updateEdit(edit.id, { status: "running", attempts: 1 }, { expectedStatus: ["queued"] });
    const worker = localWorker();
    const before = emulator.invocations;

    // Act
    const duplicate = await capturingStdout(() =>
      worker(sqsEvent(JSON.stringify({ editId: edit.id }), 1), context),
    );
    const whileRunning = await metadata.getEdit(edit.id);
    const redelivery = await capturingStdout(() =>
      worker(sqsEvent(JSON.stringify({ editId: edit.id }), 2), context),
    );

    // Assess: the duplicate is not run and not acknowledged; the later receive runs the edit
    expect(duplicate.result.batchItemFailures).toEqual([{ itemIdentifier: "msg-1" }]);
    expect(whileRunning).toMatchObject({ status: "running", attempts: 1 });
    expect(JSON.stringify(duplicate.lines)).toContain("already running as attempt 1");
    expect(redelivery.result.batchItemFailures).toEqual([]);
    expect(emulator.invocations).toBe(before + 1);
    expect(await metadata.getEdit(edit.id)).toMatchObject({ status: "succeeded", attempts: 2 });
  });

  it("reports a message that is not a job for redelivery", async () => {
    // Prepare
    const worker = localWorker();
    // Act
    const { result } = await capturingStdout(() => worker(sqsEvent("not json"), context));
    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "msg-1" }]);
  });
});

describe("worker-handler entry", () => {
  it("builds nothing on import, and names the missing variable on its first invocation", async () => {
    // Prepare: the entry's module was imported above without any RETOUCH_* variable set
    vi.stubEnv("RETOUCH_TABLE_NAME", "");
    // Act
    const invocation = (async () => handler(sqsEvent("{}"), context))();
    // Assess
    await expect(invocation).rejects.toThrow(/RETOUCH_TABLE_NAME/);
    vi.unstubAllEnvs();
  });
});
