import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  createCognitoIdentity,
  createDynamoMetadataStore,
  createS3BlobStore,
  createSqsJobQueue,
} from "@retouch/adapters";
import { createLogger, type ApiDependencies, type EngineCatalog } from "@retouch/api";
import { ValidationError } from "@retouch/core";
// The Bedrock engine and the registry only, not @retouch/engines' entry: that also loads the local
// engines and their native modules (onnxruntime for local-bg), which the bundle must not carry.
import {
  createBedrockNovaCanvasEngine,
  createBedrockRuntimeClient,
  createBedrockStabilityEngine,
  isStabilityModelKey,
  selectBedrockModels,
  STABILITY_DEFAULT_MODEL_IDS,
} from "@retouch/engines/bedrock";
import { createEngineRegistry } from "@retouch/engines/registry";
import { ENV } from "../src/environment";

export type Env = Record<string, string | undefined>;

/**
 * The AWS SDK clients the functions use. Injected, so a local run can point them at dynalite,
 * s3rver, cognito-local, the local SQS server and the Bedrock emulator.
 */
export interface AwsClients {
  dynamo: DynamoDBDocumentClient;
  s3: S3Client;
  sqs: SQSClient;
  cognito: CognitoIdentityProviderClient;
  bedrock: BedrockRuntimeClient;
}

/** What the worker needs to run edits (no identity, no queue). */
export type WorkerDependencies = Pick<
  ApiDependencies,
  "settings" | "metadata" | "blobs" | "engines" | "logger"
>;

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ValidationError(`${name} must be set (the CDK stack sets it on the function)`);
  return value;
}

/** A positive integer variable, or `fallback` when unset. */
export function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new ValidationError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/**
 * SDK clients for the function's own region and role (the SDK reads `AWS_REGION`, and
 * `AWS_ENDPOINT_URL_<SERVICE>` when set). `capture` instruments each client, e.g. for X-Ray.
 * Creating them makes no call.
 *
 * @example
 * ```ts
 * const clients = createAwsClients((client) => tracer.captureAWSv3Client(client));
 * ```
 */
export function createAwsClients(capture: <T>(client: T) => T = (client) => client): AwsClients {
  return {
    dynamo: DynamoDBDocumentClient.from(capture(new DynamoDBClient({})), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    s3: capture(new S3Client({})),
    sqs: capture(new SQSClient({})),
    cognito: capture(new CognitoIdentityProviderClient({})),
    // The engine retries Bedrock itself, with a per-call timeout that fits the worker's limit.
    bedrock: capture(createBedrockRuntimeClient()),
  };
}

/**
 * The engines on AWS, for the models the deployment may invoke (`RETOUCH_BEDROCK_MODEL_IDS`,
 * set by the stack to what the worker's role allows; default the Stability catalogue):
 * `bedrock-stability` with the operations of the listed Stability models, `bedrock-nova-canvas`
 * when Nova Canvas is listed. The API function only lists them (its role cannot invoke models);
 * the worker runs them.
 *
 * @example
 * ```ts
 * createAwsEngines(createBedrockRuntimeClient(), ["amazon.nova-canvas-v1:0"]).list()[0]?.id; // "bedrock-nova-canvas"
 * ```
 */
export function createAwsEngines(
  bedrock: BedrockRuntimeClient,
  modelIds: readonly string[] = STABILITY_DEFAULT_MODEL_IDS,
): EngineCatalog {
  const { stability, novaCanvas } = selectBedrockModels(modelIds);
  const stabilityKeys = Object.keys(stability).filter(isStabilityModelKey);
  return createEngineRegistry([
    ...(stabilityKeys.length
      ? [createBedrockStabilityEngine({ client: bedrock, modelIds: stability, keys: stabilityKeys })]
      : []),
    ...(novaCanvas ? [createBedrockNovaCanvasEngine({ client: bedrock, modelId: novaCanvas })] : []),
  ]);
}

/** The items of a comma-separated variable, trimmed; empty when unset. */
function listVariable(env: Env, name: string): string[] {
  return (env[name] ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** `RETOUCH_BEDROCK_MODEL_IDS`, or undefined when unset (the engines' default catalogue). */
function modelIdsFrom(env: Env): string[] | undefined {
  const ids = listVariable(env, ENV.bedrockModelIds);
  return ids.length ? ids : undefined;
}

/**
 * What the worker needs, from the function's environment (set by the stack, names in `ENV`):
 * DynamoDB metadata, S3 blobs, the Bedrock engines, settings and a JSON logger.
 *
 * @example
 * ```ts
 * const runner = new EditRunner(createWorkerDependencies(process.env, createAwsClients()));
 * ```
 */
export function createWorkerDependencies(
  env: Env,
  clients: Pick<AwsClients, "dynamo" | "s3" | "bedrock">,
): WorkerDependencies {
  const engines = createAwsEngines(clients.bedrock, modelIdsFrom(env));
  return {
    settings: {
      maxUploadBytes: positiveInt(env, ENV.maxUploadBytes, 25 * 1024 * 1024),
      maxPixels: positiveInt(env, ENV.maxPixels, 40_000_000),
      defaultEngine: env[ENV.defaultEngine]?.trim() || engines.list()[0]?.id || "none",
      corsOrigins: listVariable(env, ENV.corsOrigins),
      uploadUrlTtlSeconds: 900,
      downloadUrlTtlSeconds: 3600,
      version: env.AWS_LAMBDA_FUNCTION_VERSION ?? "unknown",
    },
    metadata: createDynamoMetadataStore({ client: clients.dynamo, tableName: required(env, ENV.tableName) }),
    blobs: createS3BlobStore({ client: clients.s3, bucket: required(env, ENV.imagesBucket) }),
    engines,
    logger: createLogger(env[ENV.logLevel] ?? "info"),
  };
}

/**
 * Everything the API needs on AWS: the worker's dependencies plus the Cognito identity and the
 * SQS job queue (it only enqueues; the worker function consumes).
 *
 * @example
 * ```ts
 * export const handler = createLambdaHandler(createAwsDependencies(process.env, createAwsClients()));
 * ```
 */
export function createAwsDependencies(env: Env, clients: AwsClients): ApiDependencies {
  const issuer = env[ENV.cognitoIssuer]?.trim();
  return {
    ...createWorkerDependencies(env, clients),
    identity: createCognitoIdentity({
      client: clients.cognito,
      userPoolId: required(env, ENV.userPoolId),
      clientId: required(env, ENV.userPoolClientId),
      ...(issuer ? { issuer } : {}),
    }),
    queue: createSqsJobQueue({ client: clients.sqs, queueUrl: required(env, ENV.queueUrl) }),
  };
}
