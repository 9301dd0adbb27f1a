import type { SQSEvent, SQSRecord } from "aws-lambda";
import { parseJobMessage } from "@retouch/adapters";
import type { Job, JobHandler } from "@retouch/core";
import { describe, expect, it } from "vitest";
import { createSqsJobHandler } from "../lambda/worker";

const record = (messageId: string, body: string, receiveCount = 1): SQSRecord =>
  ({
    messageId,
    body,
    receiptHandle: `rh-${messageId}`,
    attributes: { ApproximateReceiveCount: String(receiveCount) },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:jobs",
    awsRegion: "us-east-1",
  }) as unknown as SQSRecord;

const context = { getRemainingTimeInMillis: () => 300_000 };

function recordingRunner(fail: (job: Job) => boolean = () => false) {
  const calls: { kind: "run" | "abandon"; job: Job; reason?: string; signal?: AbortSignal }[] = [];
  const runner: JobHandler = {
    async run(job, signal) {
      calls.push({ kind: "run", job, signal });
      if (fail(job)) throw new Error("store unreachable");
    },
    async abandon(job, reason) {
      calls.push({ kind: "abandon", job, reason });
    },
  };
  return { runner, calls };
}

describe("parseJobMessage", () => {
  it("reads the edit id and counts each receive after the first as one more attempt", () => {
    expect(parseJobMessage('{"editId":"edt_1"}', 2)).toEqual({ editId: "edt_1", attempt: 2 });
    // A message re-sent for attempt 2 (after a shutdown or a crash sweep) starts there.
    expect(parseJobMessage('{"editId":"edt_1","attempt":2}', 1)).toEqual({ editId: "edt_1", attempt: 2 });
    expect(parseJobMessage('{"editId":"edt_1","attempt":2}', 2)).toEqual({ editId: "edt_1", attempt: 3 });
  });

  it("refuses bodies without an edit id", () => {
    expect(() => parseJobMessage("not json", 1)).toThrow(/not JSON/);
    expect(() => parseJobMessage('{"id":"x"}', 1)).toThrow(/editId/);
    expect(() => parseJobMessage("null", 1)).toThrow(/editId/);
  });
});

describe("createSqsJobHandler", () => {
  it("runs each message and reports only the ones that threw", async () => {
    const { runner, calls } = recordingRunner((job) => job.editId === "edt_bad");
    const handler = createSqsJobHandler(runner, { maxReceiveCount: 3 });
    const event: SQSEvent = {
      Records: [
        record("m1", '{"editId":"edt_ok"}'),
        record("m2", '{"editId":"edt_bad"}', 2),
        record("m3", "garbage"),
      ],
    };
    const response = await handler(event, context);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "m2" }, { itemIdentifier: "m3" }]);
    expect(calls.map((c) => [c.kind, c.job.editId, c.job.attempt])).toEqual([
      ["run", "edt_ok", 1],
      ["run", "edt_bad", 2],
    ]);
    expect(calls[0]!.signal?.aborted).toBe(false);
  });

  it("abandons the edit on the last allowed receive instead of running it again", async () => {
    const { runner, calls } = recordingRunner();
    const handler = createSqsJobHandler(runner, { maxReceiveCount: 3 });
    const response = await handler({ Records: [record("m1", '{"editId":"edt_1"}', 3)] }, context);
    expect(response.batchItemFailures).toEqual([]);
    expect(calls).toEqual([
      expect.objectContaining({
        kind: "abandon",
        job: { editId: "edt_1", attempt: 3 },
        reason: expect.any(String),
      }),
    ]);
  });

  it("aborts a run before the function's timeout", async () => {
    let signal: AbortSignal | undefined;
    const runner: JobHandler = {
      run: (_job, s) => {
        signal = s;
        return new Promise((resolve) => s.addEventListener("abort", () => resolve()));
      },
      abandon: async () => undefined,
    };
    const handler = createSqsJobHandler(runner, { maxReceiveCount: 3, safetyMarginMs: 0 });
    const response = await handler(
      { Records: [record("m1", '{"editId":"edt_1"}')] },
      { getRemainingTimeInMillis: () => 1_000 },
    );
    expect(signal?.aborted).toBe(true);
    expect(response.batchItemFailures).toEqual([]);
  });
});
