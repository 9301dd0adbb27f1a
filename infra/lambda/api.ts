import type { Context } from "aws-lambda";
import { handle } from "hono/aws-lambda";
import { createApp } from "@retouch/api";
import { API_SERVICE_NAME, ENV } from "../src/environment";
import { createAwsClients, createAwsDependencies, type AwsClients, type Env } from "./aws-dependencies";
import { createTelemetry, type Telemetry } from "./telemetry";

/**
 * The API function (`ImageEditBackend`): the Hono app behind API Gateway (REST, Lambda proxy),
 * wired from its environment to DynamoDB, S3, Cognito, the SQS job queue (it enqueues) and the
 * Bedrock engine catalog (it lists). Each invocation's log lines carry the Lambda and API Gateway
 * request ids; a 5xx answer is logged with its method and path (never headers or query strings,
 * which hold tokens and signatures).
 *
 * @example
 * ```ts
 * const api = createApi(process.env, { clients: createAwsClients(), telemetry });
 * const response = await api(apiGatewayEvent, context);
 * ```
 */
/** The proxy event Hono's Lambda adapter takes (API Gateway REST sends its v1 form). */
type ApiEvent = Parameters<ReturnType<typeof handle>>[0];

export function createApi(env: Env, options: { clients: AwsClients; telemetry: Telemetry }) {
  // Hono's adapter directly, not @retouch/server's wrapper: that package's entry also loads the
  // local server, whose version lookup reads the repository's package.json, absent in the bundle.
  const app = handle(createApp(createAwsDependencies(env, options.clients)));
  const { logger, metrics } = options.telemetry;
  return async (event: ApiEvent, context: Context) => {
    const { httpMethod, path, requestContext } = event as {
      httpMethod?: string;
      path?: string;
      requestContext?: { requestId?: string };
    };
    logger.addContext(context);
    logger.appendKeys({ requestId: requestContext?.requestId });
    try {
      const response = await app(event, context);
      if (response.statusCode >= 500)
        logger.error("request failed", { method: httpMethod, path, statusCode: response.statusCode });
      return response;
    } finally {
      logger.removeKeys(["requestId"]);
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}

/**
 * The API as deployed: Powertools telemetry for `retouch-api` (a `ColdStart` metric when it is
 * built, i.e. on the first invocation) and SDK clients traced with X-Ray, from `env`.
 *
 * @example
 * ```ts
 * export const handler = lazyHandler(() => createApiFromEnv(process.env));
 * ```
 */
export function createApiFromEnv(env: Env) {
  const telemetry = createTelemetry(API_SERVICE_NAME, env[ENV.logLevel]);
  telemetry.metrics.captureColdStartMetric();
  const clients = createAwsClients((client) => telemetry.tracer.captureAWSv3Client(client));
  return createApi(env, { clients, telemetry });
}
