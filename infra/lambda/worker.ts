import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { parseJobMessage, runJobMessage } from "@retouch/adapters";
import { EditRunner } from "@retouch/api";
import { isTerminal, JobBusyError, type JobHandler, type MetadataStore } from "@retouch/core";
import { BEDROCK_FAILURES_METRIC, EDIT_METRICS, ENV } from "../src/environment";
import {
  createAwsClients,
  createWorkerDependencies,
  positiveInt,
  type AwsClients,
  type Env,
} from "./aws-dependencies";
import { count, countBedrockFailures, createTelemetry, type Telemetry } from "./telemetry";

export interface SqsJobHandlerOptions {
  /** The queue's redrive `maxReceiveCount`: on the last receive the edit is abandoned, not run. */
  maxReceiveCount: number;
  /** Time kept back from the function's timeout to record a failure before Lambda stops it. */
  safetyMarginMs?: number;
  onError?(error: unknown, record: SQSRecord): void;
}

/**
 * The worker's SQS handler (event source with `ReportBatchItemFailures`). Each message is one
 * edit; what happens to it is `runJobMessage`'s, the same as in the SQS queue's own consumer:
 * its receive count is the attempt, and on the last receive the queue allows the edit is
 * abandoned with a reason rather than run, so it never stays `running` while its message sits in
 * the DLQ. The runner records every outcome itself, so a run that settles acknowledges the
 * message; only a throw (the store unreachable, a bad message) reports the item for redelivery.
 *
 * @example
 * ```ts
 * const handle = createSqsJobHandler(new EditRunner(deps), { maxReceiveCount: 3 });
 * ```
 */
export function createSqsJobHandler(runner: JobHandler, options: SqsJobHandlerOptions) {
  const margin = options.safetyMarginMs ?? 15_000;
  return async (event: SQSEvent, context: Pick<Context, "getRemainingTimeInMillis">) => {
    const response: SQSBatchResponse = { batchItemFailures: [] };
    for (const record of event.Records) {
      try {
        const job = parseJobMessage(record.body, Number(record.attributes.ApproximateReceiveCount) || 1);
        const signal = AbortSignal.timeout(Math.max(1_000, context.getRemainingTimeInMillis() - margin));
        await runJobMessage(runner, job, { maxAttempts: options.maxReceiveCount - 1, signal });
      } catch (error) {
        options.onError?.(error, record);
        response.batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return response;
  };
}

/**
 * Wraps the edit runner so each outcome becomes a metric (`EditsSucceeded`, `EditsFailed`,
 * `EditsAbandoned`) and every log line of the run carries the edit id. The runner records the
 * outcome in the store, so it is read back from there.
 */
function instrumentRunner(runner: JobHandler, metadata: MetadataStore, telemetry: Telemetry): JobHandler {
  const { logger } = telemetry;
  const withEditKeys = async (job: { editId: string; attempt: number }, work: () => Promise<void>) => {
    logger.appendKeys({ editId: job.editId, attempt: job.attempt });
    try {
      await work();
    } finally {
      logger.removeKeys(["editId", "attempt"]);
    }
  };
  return {
    run: (job, signal) =>
      withEditKeys(job, async () => {
        const before = await metadata.getEdit(job.editId);
        await runner.run(job, signal);
        if (before && isTerminal(before.status)) {
          // A redelivery of a settled edit: acknowledged, and its outcome is not counted twice.
          logger.info("edit already settled", { status: before.status });
          return;
        }
        const edit = await metadata.getEdit(job.editId);
        if (edit?.status === "succeeded") {
          count(telemetry, EDIT_METRICS.succeeded);
          logger.info("edit succeeded", { durationMs: edit.durationMs });
        } else if (edit?.status === "failed") {
          count(telemetry, EDIT_METRICS.failed);
          logger.warn("edit failed", { error: edit.error });
        } else {
          logger.info("edit ended", { status: edit?.status ?? "deleted" });
        }
      }),
    abandon: (job, reason) =>
      withEditKeys(job, async () => {
        await runner.abandon(job, reason);
        count(telemetry, EDIT_METRICS.abandoned);
        logger.warn("edit abandoned", { reason });
      }),
  };
}

/**
 * The worker function (`ImageEditWorker`) from its environment and the given clients and
 * telemetry: runs each SQS message's edit with the Bedrock engines, counts Bedrock failures and
 * edit outcomes, and publishes the metrics at the end of every invocation.
 *
 * @example
 * ```ts
 * const worker = createWorker(process.env, { clients: createAwsClients(), telemetry });
 * const { batchItemFailures } = await worker(sqsEvent, context);
 * ```
 */
export function createWorker(
  env: Env,
  options: { clients: Pick<AwsClients, "dynamo" | "s3" | "bedrock">; telemetry: Telemetry },
) {
  const { clients, telemetry } = options;
  countBedrockFailures(clients.bedrock, telemetry);
  const deps = createWorkerDependencies(env, clients);
  const handle = createSqsJobHandler(instrumentRunner(new EditRunner(deps), deps.metadata, telemetry), {
    maxReceiveCount: positiveInt(env, ENV.maxReceiveCount, 3),
    onError: (error, record) => {
      // A duplicate delivery of a running edit is expected with SQS, not a failure.
      if (error instanceof JobBusyError) {
        telemetry.logger.info(error.message, { messageId: record.messageId });
        return;
      }
      telemetry.logger.error("job message failed; SQS will deliver it again", {
        messageId: record.messageId,
        error: error as Error,
      });
    },
  });
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    telemetry.logger.addContext(context);
    try {
      return await handle(event, context);
    } finally {
      if (telemetry.metrics.hasStoredMetrics()) telemetry.metrics.publishStoredMetrics();
    }
  };
}

/**
 * The worker as deployed: Powertools telemetry for `retouch-worker` (the service the Bedrock
 * alarm watches; a `ColdStart` metric when it is built, i.e. on the first invocation) and SDK
 * clients traced with X-Ray, from `env`.
 *
 * @example
 * ```ts
 * export const handler = lazyHandler(() => createWorkerFromEnv(process.env));
 * ```
 */
export function createWorkerFromEnv(env: Env) {
  const telemetry = createTelemetry(BEDROCK_FAILURES_METRIC.service, env[ENV.logLevel]);
  telemetry.metrics.captureColdStartMetric();
  const clients = createAwsClients((client) => telemetry.tracer.captureAWSv3Client(client));
  return createWorker(env, { clients, telemetry });
}
