import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LambdaContext } from "hono/aws-lambda";
import { loadConfig } from "@retouch/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLambdaHandler, createLocalRuntime, type LocalRuntime } from "../src/index";

/** An API Gateway REST (v1) Lambda proxy event as the `prod` stage sends it. */
function restEvent(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; base64?: boolean; query?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = {
    Accept: "application/json",
    Host: "abc123.execute-api.eu-west-1.amazonaws.com",
    "User-Agent": "vitest",
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Port": "443",
    "X-Forwarded-Proto": "https",
    ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
    ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
  };
  const raw = options.body === undefined ? null : JSON.stringify(options.body);
  return {
    resource: "/{proxy+}",
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: options.query
      ? Object.fromEntries(Object.entries(options.query).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      resourceId: "r1",
      resourcePath: "/{proxy+}",
      httpMethod: method,
      extendedRequestId: "ext-1",
      requestTime: "25/Nov/2026:02:00:00 +0000",
      path: `/prod${path}`,
      accountId: "123456789012",
      protocol: "HTTP/1.1",
      stage: "prod",
      domainPrefix: "abc123",
      requestTimeEpoch: Date.now(),
      requestId: crypto.randomUUID(),
      identity: { sourceIp: "203.0.113.7", userAgent: "vitest" },
      domainName: "abc123.execute-api.eu-west-1.amazonaws.com",
      apiId: "abc123",
    },
    body: raw === null ? null : options.base64 ? Buffer.from(raw).toString("base64") : raw,
    isBase64Encoded: Boolean(options.base64),
  };
}

const lambdaContext = { awsRequestId: "req-1", functionName: "ImageEditBackend" } as LambdaContext;

describe("Lambda entry with API Gateway REST proxy events", () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let handler: ReturnType<typeof createLambdaHandler>;
  let token: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "retouch-lambda-"));
    const config = loadConfig({}, { dataDir, logLevel: "silent" });
    runtime = await createLocalRuntime(config, {
      publicUrl: "https://abc123.execute-api.eu-west-1.amazonaws.com/prod",
    });
    handler = createLambdaHandler(runtime.deps);
    await runtime.identity.createUser({ username: "lambda-user", temporaryPassword: "Temp-Pass-1!" });
    const challenge = await runtime.identity.signIn("lambda-user", "Temp-Pass-1!");
    if (challenge.kind !== "challenge") throw new Error("expected a challenge");
    token = (await runtime.identity.completeNewPassword("lambda-user", challenge.session, "Real-Pass-2!"))
      .accessToken;
  });
  afterAll(async () => {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const invoke = async (event: ReturnType<typeof restEvent>) => {
    const result = await handler(event as unknown as Parameters<typeof handler>[0], lambdaContext);
    return {
      ...result,
      json: result.body
        ? JSON.parse(result.isBase64Encoded ? Buffer.from(result.body, "base64").toString() : result.body)
        : null,
    };
  };

  it("answers GET /health", async () => {
    const result = await invoke(restEvent("GET", "/health"));
    expect(result.statusCode).toBe(200);
    expect(result.json).toMatchObject({ status: "ok" });
  });

  it("refuses a request without a token with 401 and a JSON error", async () => {
    const result = await invoke(restEvent("GET", "/engines"));
    expect(result.statusCode).toBe(401);
    expect(result.json.error.code).toBe("unauthorized");
  });

  it("serves GET /engines with a token", async () => {
    const result = await invoke(restEvent("GET", "/engines", { token }));
    expect(result.statusCode).toBe(200);
    expect(result.json.engines[0].id).toBe("local-fill");
  });

  it("reserves an image from a JSON body, plain or base64-encoded", async () => {
    for (const base64 of [false, true]) {
      const result = await invoke(
        restEvent("POST", "/images", { token, base64, body: { contentType: "image/png" } }),
      );
      expect(result.statusCode).toBe(201);
      expect(result.json.image.status).toBe("pending");
      expect(result.json.upload.url).toMatch(
        /^https:\/\/abc123\.execute-api\.eu-west-1\.amazonaws\.com\/prod\/.*blobs\/uploads\/users\//,
      );
    }
  });

  it("reads query strings and validates bodies", async () => {
    const list = await invoke(restEvent("GET", "/edits", { token, query: { limit: "5" } }));
    expect(list.statusCode).toBe(200);
    expect(list.json).toEqual({ items: [], nextCursor: null });
    const invalid = await invoke(restEvent("POST", "/edits", { token, body: { operation: "nope" } }));
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json.error.message).toContain("operation");
  });

  it("sets security headers and a request id", async () => {
    const result = await invoke(restEvent("GET", "/health"));
    const headers = {
      ...result.headers,
      ...Object.fromEntries(Object.entries(result.multiValueHeaders ?? {}).map(([k, v]) => [k, String(v)])),
    };
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-request-id"]).toBeTruthy();
  });
});
