import { createLambdaHandler } from "@retouch/server";
import { createAwsDependencies, type AwsPorts } from "./aws-dependencies";

export type { AwsPorts };

/**
 * The `ImageEditBackend` function: the Hono API behind API Gateway (REST, Lambda proxy), wired to
 * DynamoDB and S3 from the environment the stack sets, and to the Cognito identity, SQS queue and
 * Bedrock engine catalog passed in `ports`.
 *
 * @example
 * ```ts
 * export const handler = createApiHandler(process.env, { identity, queue, engines });
 * ```
 */
export function createApiHandler(env: Record<string, string | undefined>, ports: AwsPorts) {
  return createLambdaHandler(createAwsDependencies(env, ports));
}
