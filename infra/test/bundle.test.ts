import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../src/backend-function";
import { API_ENTRY, WORKER_ENTRY } from "../src/retouch-stack";

/**
 * The functions as Lambda loads them: each entry bundled the way the stack bundles it (ESM,
 * `sharp` left out and installed beside it), then imported by a bare Node process in a folder
 * holding nothing else, so a module that reads the repository or needs an absent package at
 * import time fails here rather than in the cloud.
 */
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "retouch-lambda-bundle-"));
  await mkdir(join(dir, "node_modules"));
  await symlink(join(REPO_ROOT, "node_modules", "sharp"), join(dir, "node_modules", "sharp"));
  for (const [name, entry] of [
    ["api", API_ENTRY],
    ["worker", WORKER_ENTRY],
  ] as const) {
    await build({
      entryPoints: [entry],
      outfile: join(dir, `${name}.mjs`),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      mainFields: ["module", "main"],
      external: ["sharp"],
      banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
      logLevel: "silent",
    });
  }
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `script` (an ES module) with Node in the bundle's folder and returns its last stdout line as JSON. */
async function runInBundleFolder(script: string, env: Record<string, string>): Promise<unknown> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", AWS_REGION: "us-east-1", ...env },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

const context = `{ awsRequestId: "r1", functionName: "f", getRemainingTimeInMillis: () => 5000 }`;

describe("Lambda bundles", () => {
  it("the API bundle imports with nothing but sharp beside it and answers /health", async () => {
    // Act
    const result = await runInBundleFolder(
      `const { handler } = await import("./api.mjs");
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
    const result = await runInBundleFolder(
      `const { handler } = await import("./worker.mjs");
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
