import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { createCognitoIdentity } from "@retouch/adapters";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startCognitoLocal } from "../../packages/adapters/test/local-aws";
import { MAX_PAYLOAD_BYTES, startApiGateway, type ApiGateway } from "../local/api-gateway";

/**
 * The API Gateway harness of the cloud-shaped run, with a real user pool (cognito-local) and a
 * handler that records the proxy events it gets and answers what each test sets.
 */
const ORIGINS = ["http://127.0.0.1:5173", "http://localhost:4000"];
let cognito: Awaited<ReturnType<typeof startCognitoLocal>>;
let gateway: ApiGateway;
let tokens: { accessToken: string; idToken: string };
const auth = () => ({ Authorization: `Bearer ${tokens.accessToken}` });
let events: APIGatewayProxyEvent[] = [];
let answer: () => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  cognito = await startCognitoLocal();
  const pool = await cognito.createPool();
  const identity = createCognitoIdentity({ client: cognito.client, ...pool });
  await identity.createUser({ username: "ana", temporaryPassword: "Temp-Pass-123!" });
  const first = await identity.signIn("ana", "Temp-Pass-123!");
  if (first.kind !== "challenge") throw new Error("expected NEW_PASSWORD_REQUIRED");
  tokens = await identity.completeNewPassword("ana", first.session, "Chosen-Pass-456?");
  gateway = await startApiGateway({
    handler: async (event) => {
      events.push(event);
      return answer();
    },
    identity,
    corsOrigins: ORIGINS,
    functionTimeoutMs: 60_000,
  });
}, 120_000); // cognito-local's port is fixed: this may wait for another test file to release it
afterAll(async () => {
  await gateway?.stop();
  await cognito?.stop();
});
beforeEach(() => {
  events = [];
  answer = async () => ({
    statusCode: 200,
    body: '{"ok":true}',
    headers: { "Content-Type": "application/json" },
  });
});

describe("API Gateway harness", () => {
  it("hands an authorized request to the function as a v1 proxy event with the token's claims", async () => {
    // Act
    const response = await fetch(`${gateway.invokeUrl}/edits/edt_1?limit=2&tag=a%20b&tag=c`, {
      method: "POST",
      headers: { Authorization: `Bearer ${tokens.accessToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "a lake" }),
    });
    // Assess
    expect(response.status).toBe(200);
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event).toMatchObject({
      resource: "/{proxy+}",
      path: "/edits/edt_1",
      httpMethod: "POST",
      pathParameters: { proxy: "edits/edt_1" },
      queryStringParameters: { limit: "2", tag: "c" },
      multiValueQueryStringParameters: { limit: ["2"], tag: ["a b", "c"] },
      body: '{"prompt":"a lake"}',
      isBase64Encoded: false,
      requestContext: { stage: "prod", path: "/prod/edits/edt_1", resourcePath: "/{proxy+}" },
    });
    expect(event.requestContext.authorizer?.claims).toMatchObject({
      username: "ana",
      token_use: "access",
      scope: "aws.cognito.signin.user.admin",
    });
    expect(event.requestContext.authorizer?.claims.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.requestContext.authorizer?.claims.exp).toMatch(
      /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} [\d:]{8} UTC \d{4}$/,
    );
  });

  it("answers 401 itself, with the gateway responses' CORS headers, to no token, a bad one or an ID token", async () => {
    // Act
    const responses = await Promise.all(
      [undefined, "Bearer x.y.z", `Bearer ${tokens.idToken}`].map((authorization) =>
        fetch(`${gateway.invokeUrl}/edits`, {
          headers: authorization ? { Authorization: authorization } : {},
        }),
      ),
    );
    // Assess
    for (const response of responses) {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: "Unauthorized" });
      expect(response.headers.get("access-control-allow-origin")).toBe(ORIGINS[0]);
    }
    expect(events).toEqual([]);
  });

  it("puts /health and the docs behind the authorizer too, and answers 403 to unknown methods and paths", async () => {
    // Act
    const anonymous = await Promise.all(
      ["/health", "/openapi.json", "/docs"].map((path) => fetch(`${gateway.invokeUrl}${path}`)),
    );
    const health = await fetch(`${gateway.invokeUrl}/health`, { headers: auth() });
    const put = await fetch(`${gateway.invokeUrl}/edits`, { method: "PUT", headers: auth() });
    const noStage = await fetch(gateway.invokeUrl.replace(/\/prod$/, "/edits"), { headers: auth() });
    // Assess
    expect(anonymous.map((response) => response.status)).toEqual([401, 401, 401]);
    expect(health.status).toBe(200);
    expect(events.map((event) => event.resource)).toEqual(["/{proxy+}"]);
    for (const refused of [put, noStage]) {
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ message: "Missing Authentication Token" });
    }
  });

  it("answers CORS preflight like the stack's mock integration: the listed origin, else the first", async () => {
    // Act
    const preflight = (origin: string) =>
      fetch(`${gateway.invokeUrl}/edits`, {
        method: "OPTIONS",
        headers: { Origin: origin, "Access-Control-Request-Method": "POST" },
      });
    const listed = await preflight(ORIGINS[1]!);
    const other = await preflight("https://elsewhere.example");
    // Assess
    expect(listed.status).toBe(204);
    expect(Object.fromEntries(listed.headers)).toMatchObject({
      "access-control-allow-origin": ORIGINS[1],
      "access-control-allow-methods": "OPTIONS,GET,POST,DELETE",
      "access-control-allow-headers": "Content-Type,Authorization",
      "access-control-max-age": "600",
      vary: "Origin",
    });
    expect(other.headers.get("access-control-allow-origin")).toBe(ORIGINS[0]);
    expect(events).toEqual([]);
  });

  it("refuses a payload over 10 MB with 413", async () => {
    // Act
    const response = await fetch(`${gateway.invokeUrl}/images`, {
      method: "POST",
      headers: { Authorization: `Bearer ${tokens.accessToken}` },
      body: new Uint8Array(MAX_PAYLOAD_BYTES + 1),
    });
    // Assess
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: "Request Too Long" });
    expect(events).toEqual([]);
  });

  it("writes the proxy result back: status, headers, multi-value headers, and base64 bodies as text", async () => {
    // Prepare: the stack sets no binaryMediaTypes, so API Gateway does not decode a base64 body
    answer = async () => ({
      statusCode: 201,
      headers: { "Content-Type": "image/png", "X-One": "1" },
      multiValueHeaders: { "X-Many": ["a", "b"] },
      body: Buffer.from("png bytes").toString("base64"),
      isBase64Encoded: true,
    });
    // Act
    const response = await fetch(`${gateway.invokeUrl}/health`, { headers: auth() });
    // Assess
    expect(response.status).toBe(201);
    expect(response.headers.get("x-one")).toBe("1");
    expect(response.headers.get("x-many")).toBe("a, b");
    expect(await response.text()).toBe(Buffer.from("png bytes").toString("base64"));
  });

  it("answers 502 when the function throws", async () => {
    // Prepare
    answer = async () => {
      throw new Error("boom");
    };
    // Act
    const response = await fetch(`${gateway.invokeUrl}/health`, { headers: auth() });
    // Assess
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: "Internal server error" });
  });
});
