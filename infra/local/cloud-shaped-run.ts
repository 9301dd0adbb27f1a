// startCognitoLocal lives with the adapters tests, whose module declarations for dynalite and s3rver it needs.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../packages/adapters/test/local-servers.d.ts" />
import { pathToFileURL } from "node:url";
import { PutBucketCorsCommand } from "@aws-sdk/client-s3";
import { createCognitoIdentity } from "@retouch/adapters";
import { createEmulatorClient, startBedrockEmulator, type BedrockEmulator } from "@retouch/bedrock-emulator";
import type { Identity } from "@retouch/core";
import { startCognitoSrpFront, type CognitoSrpFront } from "../../packages/adapters/test/cognito-srp-front";
import {
  startCognitoLocal,
  startDynalite,
  startS3rver,
  startSqsServer,
} from "../../packages/adapters/test/local-aws";
import { createApi } from "../lambda/api";
import type { AwsClients } from "../lambda/aws-dependencies";
import { createTelemetry } from "../lambda/telemetry";
import { createWorker } from "../lambda/worker";
import { API_SERVICE_NAME, BEDROCK_FAILURES_METRIC, ENV } from "../src/environment";
import { MAX_RECEIVE_COUNT, WORKER_TIMEOUT } from "../src/jobs";
import { startApiGateway, type ProxyHandler } from "./api-gateway";
import { startSqsEventSource } from "./sqs-event-source";
import { buildWebInto, serveWebSite } from "./web-site";

const REGION = "us-east-1";
/** The API function's timeout in the stack (retouch-stack.ts). */
const API_TIMEOUT_MS = 60_000;

export interface CloudShapedRunOptions {
  /** The first user, admin-created with a temporary password (default `ana`). */
  username?: string;
  temporaryPassword?: string;
  /** `RETOUCH_LOG_LEVEL` of both functions (default `silent`). */
  logLevel?: string;
  /** Ports of the gateway and of the web site (default: any free ones). */
  apiPort?: number;
  webPort?: number;
  /** Serve this built editor instead of building one into a temporary folder. */
  webDist?: string;
  /** Worker invocations at a time (the stack allows 5; the minimum for SQS is 2). */
  workerConcurrency?: number;
}

export interface CloudShapedRun {
  /** The web editor, as Amplify would host it, with a Cognito `config.js`. */
  webUrl: string;
  /** API Gateway's invoke URL of stage `prod` (no trailing slash). */
  invokeUrl: string;
  user: { username: string; temporaryPassword: string };
  pool: { userPoolId: string; clientId: string; issuer: string };
  /** The pool, through the adapters' Cognito identity (create users, sign in, answer challenges). */
  identity: Identity;
  clients: AwsClients;
  queueUrl: string;
  /** The SRP front the editor signs in through (see `cognito-srp-front.ts`). */
  srpFront: CognitoSrpFront;
  /** The Bedrock emulator behind the worker: its `faults` make Bedrock refuse, throttle or slow down. */
  emulator: BedrockEmulator;
  stop(): Promise<void>;
}

/**
 * The AWS deployment of Retouch on local stand-ins: dynalite (DynamoDB), s3rver (S3, with the
 * stack's CORS rule for the page's origin), cognito-local (a user pool, an SPA app client and an
 * admin-created user with a temporary password), the local SQS server (queue and DLQ with the
 * stack's redrive) and the Bedrock emulator; the API function behind an API Gateway harness
 * (stage `prod`, Cognito authorizer), the worker function fed by an SQS event source, and the
 * web editor served with a `config.js` pointing at both.
 *
 * The editor signs in with SRP as on AWS. cognito-local has no SRP, so `config.js` points the
 * editor at the Cognito SRP front (`cognito-srp-front.ts`), which verifies the SRP proof and then
 * signs in upstream with `USER_PASSWORD_AUTH` (which the local app client allows for that reason).
 *
 * @example
 * ```ts
 * const run = await startCloudShapedRun();
 * console.log(run.webUrl, run.user); // sign in as ana with the temporary password
 * await run.stop();
 * ```
 */
export async function startCloudShapedRun(options: CloudShapedRunOptions = {}): Promise<CloudShapedRun> {
  const username = options.username ?? "ana";
  const temporaryPassword = options.temporaryPassword ?? "Temp-Pass-123!";
  const logLevel = options.logLevel ?? "silent";
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    // Last started, first stopped; splice so a second call has nothing left to do.
    for (const step of stops.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const builtWeb = options.webDist ? Promise.resolve(options.webDist) : buildWebInto();
    const [dynalite, s3rver, cognito, sqs, emulator] = await Promise.all([
      startDynalite(),
      startS3rver(),
      startCognitoLocal(),
      startSqsServer(),
      startBedrockEmulator(),
    ]);
    stops.push(dynalite.stop, s3rver.stop, cognito.stop, sqs.stop, () => emulator.close());

    let config: Record<string, unknown> = {};
    const site = await serveWebSite(await builtWeb, () => config, {
      port: options.webPort,
      removeOnStop: !options.webDist,
    });
    stops.push(site.stop);

    const dlq = await sqs.createQueue("EditJobDeadLetterQueue");
    const queueUrl = await sqs.createQueue("EditJobQueue", {
      dlq,
      maxReceiveCount: MAX_RECEIVE_COUNT,
      // Lambda's guidance, as the stack sets it: six times the worker's timeout.
      visibilityTimeoutSeconds: WORKER_TIMEOUT.toSeconds() * 6,
    });
    await s3rver.client.send(
      new PutBucketCorsCommand({
        Bucket: s3rver.bucket,
        // The stack's bucket CORS rule (data.ts): the browser PUTs and GETs image bytes with presigned URLs.
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedMethods: ["PUT", "GET", "HEAD"],
              AllowedOrigins: [site.url],
              AllowedHeaders: ["Content-Type", "x-amz-*"],
              ExposeHeaders: ["ETag"],
              MaxAgeSeconds: 3000,
            },
          ],
        },
      }),
    );
    const pool = await cognito.createPool();
    const identity = createCognitoIdentity({ client: cognito.client, ...pool });
    await identity.createUser({ username, temporaryPassword });
    // The editor signs in with SRP, as against the stack's client; cognito-local has none, so
    // the SRP front answers that half and signs in upstream once the proof checks out.
    const srpFront = await startCognitoSrpFront(cognito.endpoint, pool.userPoolId);
    srpFront.setPassword(username, temporaryPassword);
    stops.push(srpFront.stop);

    const env: Record<string, string> = {
      [ENV.tableName]: dynalite.tableName,
      [ENV.imagesBucket]: s3rver.bucket,
      [ENV.queueUrl]: queueUrl,
      [ENV.userPoolId]: pool.userPoolId,
      [ENV.userPoolClientId]: pool.clientId,
      [ENV.cognitoIssuer]: pool.issuer,
      [ENV.corsOrigins]: site.url,
      [ENV.maxReceiveCount]: String(MAX_RECEIVE_COUNT),
      [ENV.logLevel]: logLevel,
    };
    const clients: AwsClients = {
      dynamo: dynalite.client,
      s3: s3rver.client,
      sqs: sqs.client,
      cognito: cognito.client,
      bedrock: createEmulatorClient(emulator),
    };
    const api = createApi(env, { clients, telemetry: createTelemetry(API_SERVICE_NAME, logLevel) });
    const gateway = await startApiGateway({
      // The same handler api-handler.ts exports, built on local clients instead of the role's.
      handler: api as unknown as ProxyHandler,
      identity,
      corsOrigins: [site.url],
      functionTimeoutMs: API_TIMEOUT_MS,
      port: options.apiPort,
    });
    stops.push(gateway.stop);
    const worker = createWorker(env, {
      clients,
      telemetry: createTelemetry(BEDROCK_FAILURES_METRIC.service, logLevel),
    });
    const source = startSqsEventSource({
      client: sqs.client,
      queueUrl,
      batchSize: 1, // the stack's event source mapping (jobs.ts)
      concurrency: options.workerConcurrency ?? 2,
      functionTimeoutMs: WORKER_TIMEOUT.toMilliseconds(),
      handler: worker,
      onError: (error) => {
        if (logLevel !== "silent") console.error("worker invocation failed:", error);
      },
    });
    stops.push(source.stop);

    config = {
      userPoolId: pool.userPoolId,
      userPoolClientId: pool.clientId,
      region: REGION,
      invokeUrl: gateway.invokeUrl,
      cognitoEndpoint: srpFront.url,
    };
    return {
      webUrl: site.url,
      invokeUrl: gateway.invokeUrl,
      user: { username, temporaryPassword },
      pool,
      identity,
      clients,
      queueUrl,
      srpFront,
      emulator,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `npx tsx infra/local/cloud-shaped-run.ts`: starts a run and keeps it up until Ctrl+C. */
async function main(): Promise<void> {
  const run = await startCloudShapedRun({
    apiPort: Number(process.env.RETOUCH_API_PORT) || undefined,
    webPort: Number(process.env.RETOUCH_WEB_PORT) || undefined,
    logLevel: process.env.RETOUCH_LOG_LEVEL ?? "info",
  });
  console.log(`Retouch, cloud-shaped: ${run.webUrl}`);
  console.log(`API (stage prod):      ${run.invokeUrl}`);
  console.log(`Sign in as ${run.user.username} with the temporary password ${run.user.temporaryPassword}`);
  const shutdown = () => {
    void run.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
