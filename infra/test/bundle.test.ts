import { execFile } from "node:child_process";
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../src/backend-function";
import { functionAssetDirs, synthesize } from "./support";

/**
 * The functions as Lambda loads them: each function's bundle exactly as the stack stages it
 * (`cdk synth` with esbuild), with only `sharp` put beside it as the deploy installs it, imported
 * by a bare Node process in that folder — so a module that reads the repository or needs an
 * absent package at import time fails here rather than in the cloud.
 */
let assets: Record<string, string>;

beforeAll(async () => {
  const synth = synthesize();
  assets = functionAssetDirs(synth.template, synth.outdir);
  for (const dir of Object.values(assets)) {
    await mkdir(join(dir, "node_modules"), { recursive: true });
    await symlink(join(REPO_ROOT, "node_modules", "sharp"), join(dir, "node_modules", "sharp"));
  }
}, 120_000);

/** Runs `script` (an ES module) with Node in a function's asset folder and returns its last stdout line as JSON. */
async function runInAssetFolder(
  functionName: string,
  script: string,
  env: Record<string, string>,
): Promise<unknown> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
    cwd: assets[functionName],
    env: { PATH: process.env.PATH ?? "", AWS_REGION: "us-east-1", ...env },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

const context = `{ awsRequestId: "r1", functionName: "f", getRemainingTimeInMillis: () => 5000 }`;

describe("Lambda bundles", () => {
  it("the API bundle imports with nothing but sharp beside it and answers /health", async () => {
    // Act
    const result = await runInAssetFolder(
      "ImageEditBackend",
      `const { handler } = await import("./index.mjs");
       const event = { resource: "/{proxy+}", path: "/health", httpMethod: "GET", headers: {}, multiValueHeaders: {},
         queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null,
         requestContext: { requestId: "q1", stage: "prod", path: "/prod/health", identity: { sourceIp: "203.0.113.7" } },
         body: null, isBase64Encoded: false };
       const response = await handler(event, ${context});
       console.log(JSON.stringify({ status: response.statusCode, body: JSON.parse(response.body) }));`,
      {
        RETOUCH_TABLE_NAME: "ImageGenerationTable",
        RETOUCH_IMAGES_BUCKET: "images",
        RETOUCH_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/EditJobQueue",
        RETOUCH_USER_POOL_ID: "us-east-1_AbCdEf123",
        RETOUCH_USER_POOL_CLIENT_ID: "client",
        RETOUCH_LOG_LEVEL: "silent",
      },
    );
    // Assess
    expect(result).toEqual({ status: 200, body: expect.objectContaining({ status: "ok" }) });
  });

  it("the worker bundle imports the same way and reports a message that is not a job", async () => {
    // Act
    const result = await runInAssetFolder(
      "ImageEditWorker",
      `const { handler } = await import("./index.mjs");
       const response = await handler({ Records: [{ messageId: "m1", body: "not a job",
         attributes: { ApproximateReceiveCount: "1" } }] }, ${context});
       console.log(JSON.stringify(response));`,
      {
        RETOUCH_TABLE_NAME: "ImageGenerationTable",
        RETOUCH_IMAGES_BUCKET: "images",
        RETOUCH_LOG_LEVEL: "silent",
      },
    );
    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: "m1" }] });
  });
});
