import { createApp, type ApiDependencies } from "@retouch/api";
import { handle } from "hono/aws-lambda";

/**
 * The API as an AWS Lambda handler behind API Gateway (REST, v1 proxy events). The dependencies
 * (DynamoDB, S3, Cognito, SQS adapters on AWS) are injected by the deployment's entry file.
 *
 * @example
 * ```ts
 * export const handler = createLambdaHandler(await createAwsDependencies(process.env));
 * ```
 */
export function createLambdaHandler(deps: ApiDependencies) {
  return handle(createApp(deps));
}
