import { Logger, LogLevel } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { BEDROCK_FAILURES_METRIC } from "../src/environment";

/** Powertools for AWS Lambda: structured logs, CloudWatch metrics (EMF) and X-Ray traces. */
export interface Telemetry {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
}

/** Powertools' names for the levels `RETOUCH_LOG_LEVEL` takes (pino's). */
const LOG_LEVELS: Record<string, (typeof LogLevel)[keyof typeof LogLevel]> = {
  fatal: LogLevel.CRITICAL,
  error: LogLevel.ERROR,
  warn: LogLevel.WARN,
  info: LogLevel.INFO,
  debug: LogLevel.DEBUG,
  trace: LogLevel.TRACE,
  silent: LogLevel.SILENT,
};

/**
 * The Powertools trio for one function. `serviceName` becomes the metrics' `service` dimension,
 * which the Bedrock-failures alarm names; the namespace is the alarm's too.
 *
 * @example
 * ```ts
 * const { logger, metrics, tracer } = createTelemetry(BEDROCK_FAILURES_METRIC.service, "info");
 * ```
 */
export function createTelemetry(serviceName: string, logLevel = "info"): Telemetry {
  return {
    logger: new Logger({ serviceName, logLevel: LOG_LEVELS[logLevel] ?? LogLevel.INFO }),
    metrics: new Metrics({ namespace: BEDROCK_FAILURES_METRIC.namespace, serviceName }),
    tracer: new Tracer({ serviceName }),
  };
}

/** Adds one count of `name` (metrics are published at the end of each invocation). */
export function count(telemetry: Telemetry, name: string): void {
  telemetry.metrics.addMetric(name, MetricUnit.Count, 1);
}

/**
 * Counts every failed Bedrock call as `BedrockFailures` and logs its error type: each
 * `InvokeModel` that ends in an error, retried ones included, but not calls aborted because the
 * edit was canceled or the function ran out of time.
 *
 * @example
 * ```ts
 * countBedrockFailures(bedrockClient, telemetry);
 * ```
 */
export function countBedrockFailures(client: BedrockRuntimeClient, telemetry: Telemetry): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const name = error instanceof Error ? error.name : "UnknownError";
        if (name !== "AbortError") {
          count(telemetry, BEDROCK_FAILURES_METRIC.metricName);
          telemetry.logger.warn("Bedrock call failed", { errorName: name });
        }
        throw error;
      }
    },
    { step: "initialize", name: "retouchCountBedrockFailures" },
  );
}
