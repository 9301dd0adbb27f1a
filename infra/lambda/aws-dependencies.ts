import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDynamoMetadataStore, createS3BlobStore } from "@retouch/adapters";
import { createLogger, type ApiDependencies, type EngineCatalog } from "@retouch/api";
import { ValidationError, type Identity, type JobQueue } from "@retouch/core";
import { ENV } from "../src/environment";

/**
 * The ports whose AWS adapters live elsewhere (Cognito identity, SQS job queue, Bedrock engines).
 * The function's entry creates them and hands them in.
 */
export interface AwsPorts {
  identity: Identity;
  queue: JobQueue;
  engines: EngineCatalog;
}

type Env = Record<string, string | undefined>;

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ValidationError(`${name} must be set (the CDK stack sets it on the function)`);
  return value;
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new ValidationError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/**
 * Everything the API and the worker need on AWS, from the function's environment (set by the
 * stack, names in `ENV`): DynamoDB metadata, S3 blobs, settings, logger; plus `ports`.
 * Creating the SDK clients makes no call; the first request does.
 *
 * @example
 * ```ts
 * const deps = createAwsDependencies(process.env, { identity, queue, engines });
 * export const handler = createLambdaHandler(deps);
 * ```
 */
export function createAwsDependencies(env: Env, ports: AwsPorts): ApiDependencies {
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    settings: {
      maxUploadBytes: positiveInt(env, ENV.maxUploadBytes, 25 * 1024 * 1024),
      maxPixels: positiveInt(env, ENV.maxPixels, 40_000_000),
      defaultEngine: env[ENV.defaultEngine]?.trim() || ports.engines.list()[0]?.id || "none",
      corsOrigins: (env[ENV.corsOrigins] ?? "")
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
      uploadUrlTtlSeconds: 900,
      downloadUrlTtlSeconds: 3600,
      version: env.AWS_LAMBDA_FUNCTION_VERSION ?? "unknown",
    },
    metadata: createDynamoMetadataStore({ client: dynamo, tableName: required(env, ENV.tableName) }),
    blobs: createS3BlobStore({ client: new S3Client({}), bucket: required(env, ENV.imagesBucket) }),
    logger: createLogger(env[ENV.logLevel] ?? "info"),
    ...ports,
  };
}
