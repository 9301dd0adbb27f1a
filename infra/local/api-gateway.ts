import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import type { Identity } from "@retouch/core";
import { ACCESS_TOKEN_SCOPE, API_METHODS } from "../src/api";
import { lambdaContext } from "./lambda-context";

/** The stage the stack deploys (`deployOptions.stageName`). */
export const STAGE = "prod";
/** API Gateway's largest request payload. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** API Gateway's integration timeout for REST APIs. */
const INTEGRATION_TIMEOUT_MS = 29_000;
/** The stack sets no `binaryMediaTypes`, so a base64 proxy body is sent to the client as the text it is. */
const BINARY_MEDIA_TYPES: string[] = [];
/** The stack's `defaultCorsPreflightOptions.maxAge` (10 minutes). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** A Lambda proxy handler as API Gateway invokes it. */
export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface ApiGatewayOptions {
  handler: ProxyHandler;
  /** Verifies an access token's signature, issuer, expiry, `token_use` and client, as the adapters do. */
  identity: Pick<Identity, "verifyAccessToken">;
  /** The stack's CORS origins; the first one is also put on API Gateway's own 4XX/5XX answers. */
  corsOrigins: string[];
  /** The API function's timeout, for the context's `getRemainingTimeInMillis`. */
  functionTimeoutMs: number;
  port?: number;
  host?: string;
}

export interface ApiGateway {
  /** `http://host:port/prod`: what the stack outputs as the invoke URL, without the trailing slash. */
  invokeUrl: string;
  stop(): Promise<void>;
}

type Route = { resource: string } | { error: "missing-token" };

/**
 * The resources and methods of the stack's REST API (infra/src/api.ts): `/` and `/{proxy+}` take
 * GET, POST and DELETE behind the Cognito authorizer, and anything else is API Gateway's 403
 * "Missing Authentication Token".
 */
function route(method: string, path: string): Route {
  if (!(API_METHODS as readonly string[]).includes(method)) return { error: "missing-token" };
  return { resource: path === "/" ? "/" : "/{proxy+}" };
}

/** `Wed Nov 25 12:00:00 UTC 2026`: how the authorizer writes the `exp` and `iat` claims. */
function gatewayDate(seconds: number): string {
  const [weekday, day, month, year, time] = new Date(seconds * 1000).toUTCString().split(/[ ,]+/);
  return `${weekday} ${month} ${day} ${time} UTC ${year}`;
}

/**
 * Claims of a token whose signature was verified, as the authorizer passes them on: every value a
 * string, `exp` and `iat` as dates, lists (`cognito:groups`) in brackets.
 */
function claimsOf(token: string): Record<string, string> {
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      (name === "exp" || name === "iat") && typeof value === "number"
        ? gatewayDate(value)
        : Array.isArray(value)
          ? `[${value.join(" ")}]`
          : String(value),
    ]),
  );
}

/**
 * The Cognito user pool authorizer with `authorizationScopes: [ACCESS_TOKEN_SCOPE]`: a valid
 * access token of the pool that carries the scope, or nothing. API Gateway takes the header's
 * value as the token, with or without a `Bearer ` prefix. It accepts tokens of any app client of
 * the pool; the identity checks the client too, which changes nothing here (the pool has one).
 */
async function authorize(
  identity: ApiGatewayOptions["identity"],
  header: string | undefined,
): Promise<Record<string, string> | null> {
  const token = header?.replace(/^Bearer\s+/i, "").trim();
  if (!token) return null;
  try {
    await identity.verifyAccessToken(token);
  } catch {
    return null;
  }
  const claims = claimsOf(token);
  return (claims.scope ?? "").split(" ").includes(ACCESS_TOKEN_SCOPE) ? claims : null;
}

/** Headers as received (names in the client's case): the last value of each, and all of them. */
function headersOf(request: IncomingMessage) {
  const multi: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!;
    (multi[name] ??= []).push(request.rawHeaders[i + 1]!);
  }
  const single = Object.fromEntries(Object.entries(multi).map(([name, values]) => [name, values.at(-1)!]));
  return { single, multi };
}

function queryOf(url: URL) {
  if (url.search === "" || url.search === "?") return { single: null, multi: null };
  const multi: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) (multi[name] ??= []).push(value);
  const single = Object.fromEntries(Object.entries(multi).map(([name, values]) => [name, values.at(-1)!]));
  return { single, multi };
}

async function readBody(request: IncomingMessage): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    // Keep reading (and dropping) so the client gets the answer instead of a reset connection.
    if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_PAYLOAD_BYTES ? "too-large" : Buffer.concat(chunks);
}

/**
 * API Gateway (REST, stage `prod`, Lambda proxy integration) in front of `handler`, shaped like
 * the stack's API: CORS preflight answered by the gateway itself, the Cognito authorizer
 * (401 `{"message":"Unauthorized"}`), the 10 MB payload limit, the 29 s integration timeout, v1
 * proxy events with `requestContext.authorizer.claims`, and the proxy result written back as API
 * Gateway does. Its own error answers carry the CORS headers of the stack's gateway responses.
 *
 * @example
 * ```ts
 * const gateway = await startApiGateway({ handler: createApi(env, options), identity,
 *   corsOrigins: ["http://127.0.0.1:5173"], functionTimeoutMs: 30_000 });
 * await fetch(`${gateway.invokeUrl}/health`); // 401 {"message":"Unauthorized"}: every route needs a token
 * await fetch(`${gateway.invokeUrl}/edits`, { headers: { Authorization: `Bearer ${accessToken}` } }); // 200
 * ```
 */
export async function startApiGateway(options: ApiGatewayOptions): Promise<ApiGateway> {
  const [firstOrigin] = options.corsOrigins;
  const gatewayHeaders: Record<string, string> = firstOrigin
    ? {
        "Access-Control-Allow-Origin": firstOrigin,
        "Access-Control-Allow-Headers": "Content-Type,Authorization",
        Vary: "Origin",
      }
    : {};

  function gatewayError(response: ServerResponse, status: number, type: string, message: string) {
    response.writeHead(status, {
      "Content-Type": "application/json",
      "x-amzn-RequestId": randomUUID(),
      "x-amzn-ErrorType": type,
      ...gatewayHeaders,
    });
    response.end(JSON.stringify({ message }));
  }

  function preflight(request: IncomingMessage, response: ServerResponse) {
    // The stack's mock integration answers the request's Origin when it is listed, else the first.
    const origin = request.headers.origin;
    response.writeHead(204, {
      "Access-Control-Allow-Headers": "Content-Type,Authorization",
      "Access-Control-Allow-Origin":
        origin && options.corsOrigins.includes(origin) ? origin : (firstOrigin ?? "*"),
      "Access-Control-Allow-Methods": ["OPTIONS", ...API_METHODS].join(","),
      "Access-Control-Max-Age": String(PREFLIGHT_MAX_AGE_SECONDS),
      ...(firstOrigin ? { Vary: "Origin" } : {}),
    });
    response.end();
  }

  async function proxy(request: IncomingMessage, response: ServerResponse) {
    const method = request.method ?? "GET";
    const url = new URL(request.url ?? "/", "http://gateway");
    const stagePrefix = `/${STAGE}`;
    if (url.pathname !== stagePrefix && !url.pathname.startsWith(`${stagePrefix}/`))
      return gatewayError(
        response,
        403,
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
      );
    const path = url.pathname.slice(stagePrefix.length) || "/";
    if (method === "OPTIONS") return preflight(request, response);
    const matched = route(method, path);
    if ("error" in matched)
      return gatewayError(
        response,
        403,
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
      );

    // The payload limit applies at the front door, before the authorizer runs.
    const body = await readBody(request);
    if (body === "too-large") return gatewayError(response, 413, "RequestEntityTooLarge", "Request Too Long");
    const claims = await authorize(options.identity, request.headers.authorization);
    if (!claims) return gatewayError(response, 401, "UnauthorizedException", "Unauthorized");

    const headers = headersOf(request);
    const query = queryOf(url);
    const requestId = randomUUID();
    const event: APIGatewayProxyEvent = {
      resource: matched.resource,
      path,
      httpMethod: method,
      headers: headers.single,
      multiValueHeaders: headers.multi,
      queryStringParameters: query.single,
      multiValueQueryStringParameters: query.multi,
      pathParameters: matched.resource === "/{proxy+}" ? { proxy: path.slice(1) } : null,
      stageVariables: null,
      requestContext: {
        accountId: "000000000000",
        apiId: "local",
        authorizer: { claims },
        domainName: request.headers.host ?? "localhost",
        httpMethod: method,
        identity: {
          sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
          userAgent: request.headers["user-agent"] ?? null,
        } as APIGatewayProxyEvent["requestContext"]["identity"],
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        requestId,
        requestTimeEpoch: Date.now(),
        resourceId: "local",
        resourcePath: matched.resource,
        stage: STAGE,
      },
      // No binaryMediaTypes: API Gateway hands the body to Lambda as UTF-8 text.
      body: body.length > 0 ? body.toString("utf8") : null,
      isBase64Encoded: false,
    };

    let result: APIGatewayProxyResult;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), INTEGRATION_TIMEOUT_MS);
      });
      const answer = await Promise.race([
        options.handler(event, lambdaContext("ImageEditBackend", options.functionTimeoutMs, 1024)),
        timedOut,
      ]);
      if (answer === "timeout")
        return gatewayError(response, 504, "IntegrationTimeout", "Endpoint request timed out");
      result = answer;
    } catch {
      return gatewayError(response, 502, "InternalServerErrorException", "Internal server error");
    } finally {
      clearTimeout(timer);
    }
    if (!result || typeof result.statusCode !== "number")
      return gatewayError(response, 502, "InternalServerErrorException", "Internal server error");

    const out: Record<string, string | string[]> = { "x-amzn-RequestId": requestId };
    for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
      out[name] = values.map(String);
    for (const [name, value] of Object.entries(result.headers ?? {})) out[name] ??= String(value);
    const accept = request.headers.accept ?? "";
    const decode =
      result.isBase64Encoded === true && BINARY_MEDIA_TYPES.some((type) => accept.includes(type));
    response.writeHead(result.statusCode, out);
    response.end(decode ? Buffer.from(result.body, "base64") : result.body);
  }

  const server: Server = createServer((request, response) => {
    proxy(request, response).catch(() => {
      if (!response.headersSent)
        gatewayError(response, 500, "InternalServerErrorException", "Internal server error");
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    invokeUrl: `http://${options.host ?? "127.0.0.1"}:${port}/${STAGE}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
