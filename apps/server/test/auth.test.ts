import { createLocalIdentity } from "@retouch/adapters";
import { createLogger } from "@retouch/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_CLIENT_ID } from "../src/index";
import { ApiClient } from "./support/api-client";
import { ADMIN_PASSWORD, ADMIN_TEMPORARY_PASSWORD, startTestServer } from "./support/local-server";

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("authentication over HTTP", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let tokens: { accessToken: string; idToken: string; refreshToken: string };
  const logLines: string[] = [];

  beforeAll(async () => {
    const logger = createLogger("trace", { write: (line: string) => void logLines.push(line) });
    server = await startTestServer({ loginMaxFailures: 3, loginLockoutSeconds: 30 }, { logger });
    const client = new ApiClient(server.url);
    await client.signIn("admin", ADMIN_TEMPORARY_PASSWORD, ADMIN_PASSWORD);
    const login = await client.request("POST", "/auth/login", {
      username: "admin",
      password: ADMIN_PASSWORD,
    });
    tokens = login.json.tokens;
  });
  afterAll(async () => {
    await server.stop();
  });

  /** A second identity on the same database: same signing key, but its own clock or issuer. */
  const identityWith = (options: { now?: () => number; issuer?: string }) =>
    createLocalIdentity({
      db: server.runtime.db,
      issuer: options.issuer ?? `${server.url}/api`,
      clientId: LOCAL_CLIENT_ID,
      accessTokenTtlSeconds: 3600,
      refreshTokenTtlSeconds: 86400,
      loginMaxFailures: 100,
      loginLockoutSeconds: 1,
      ...(options.now ? { now: options.now } : {}),
    });

  const engines = (token: string | null) => new ApiClient(server.url, token).request("GET", "/engines");

  it("accepts a valid access token", async () => {
    const response = await engines(tokens.accessToken);
    expect(response.status).toBe(200);
    expect(response.json.engines.map((e: { id: string }) => e.id)).toContain("local-fill");
  });

  it("answers 401 without a token", async () => {
    const response = await engines(null);
    expect(response.status).toBe(401);
    expect(response.json.error.code).toBe("unauthorized");
  });

  it("answers 401 for a tampered signature", async () => {
    // Prepare
    const [header, payload, signature] = tokens.accessToken.split(".");
    const flipped = (signature![0] === "A" ? "B" : "A") + signature!.slice(1);
    // Act / Assess
    expect((await engines(`${header}.${payload}.${flipped}`)).status).toBe(401);
    expect((await engines(`${header}.${payload}.${signature!.slice(0, 5) + flipped.slice(5)}x`)).status).toBe(
      401,
    );
  });

  it("answers 401 for a tampered payload", async () => {
    const [header, , signature] = tokens.accessToken.split(".");
    const forged = base64url({
      sub: "usr_other",
      token_use: "access",
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    expect((await engines(`${header}.${forged}.${signature}`)).status).toBe(401);
  });

  it("answers 401 for alg none", async () => {
    // Prepare
    const claims = JSON.parse(Buffer.from(tokens.accessToken.split(".")[1]!, "base64url").toString());
    const unsigned = `${base64url({ alg: "none", typ: "JWT" })}.${base64url(claims)}.`;
    // Act / Assess
    expect((await engines(unsigned)).status).toBe(401);
  });

  it("answers 401 for an expired token", async () => {
    // Prepare: sign in on a clock two hours behind, so the token expired an hour ago
    const past = await identityWith({ now: () => Date.now() - 2 * 3600_000 });
    const result = await past.signIn("admin", ADMIN_PASSWORD);
    if (result.kind !== "tokens") throw new Error("expected tokens");
    // Act
    const response = await engines(result.tokens.accessToken);
    // Assess
    expect(response.status).toBe(401);
    expect(response.json.error.message).toMatch(/expired/i);
  });

  it("answers 401 for a token of another issuer and for an id token", async () => {
    // Prepare
    const foreign = await identityWith({ issuer: "http://elsewhere.test/api" });
    const result = await foreign.signIn("admin", ADMIN_PASSWORD);
    if (result.kind !== "tokens") throw new Error("expected tokens");
    // Act / Assess
    expect((await engines(result.tokens.accessToken)).status).toBe(401);
    expect((await engines(tokens.idToken)).status).toBe(401);
  });

  it("refreshes tokens and refuses a bad refresh token", async () => {
    const client = new ApiClient(server.url);
    const refreshed = await client.request("POST", "/auth/refresh", { refreshToken: tokens.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await engines(refreshed.json.tokens.accessToken)).status).toBe(200);
    expect((await client.request("POST", "/auth/refresh", { refreshToken: "nope" })).status).toBe(401);
  });

  it("publishes the signing keys without private parts", async () => {
    const response = await new ApiClient(server.url).request("GET", "/.well-known/jwks.json");
    expect(response.status).toBe(200);
    expect(response.json.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256" });
    expect(response.json.keys[0].d).toBeUndefined();
  });

  it("throttles repeated failed sign-ins with 429 and Retry-After", async () => {
    // Prepare
    await server.runtime.identity.createUser({ username: "carol", temporaryPassword: "Carol-Temp-1!" });
    const client = new ApiClient(server.url);
    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await client.request("POST", "/auth/login", { username: "carol", password: "wrong" })).status,
      );
    }
    const locked = await client.request("POST", "/auth/login", {
      username: "carol",
      password: "Carol-Temp-1!",
    });
    // Assess
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("says the same thing for an unknown user and a wrong password", async () => {
    const client = new ApiClient(server.url);
    const unknown = await client.request("POST", "/auth/login", {
      username: "nobody",
      password: "Whatever-1!",
    });
    const wrong = await client.request("POST", "/auth/login", { username: "admin", password: "Whatever-1!" });
    expect(unknown.status).toBe(401);
    expect(unknown.json.error.message).toBe(wrong.json.error.message);
  });

  it("never logs passwords, tokens or URL signatures", async () => {
    // Prepare: everything the server logged during this file's requests, at trace level
    const client = new ApiClient(server.url, tokens.accessToken);
    const reserved = await client.request("POST", "/images", { contentType: "image/png" });
    const signature = new URL(reserved.json.upload.url).searchParams.get("sig")!;
    // Act
    const text = logLines.join("");
    // Assess
    expect(logLines.length).toBeGreaterThan(10);
    for (const secret of [
      ADMIN_PASSWORD,
      ADMIN_TEMPORARY_PASSWORD,
      tokens.accessToken,
      tokens.refreshToken,
      signature,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
