import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TooManyRequestsError, UnauthorizedError, passwordProblems } from "@retouch/core";
import { createLocalIdentity, openSqlite, type SqliteDatabase } from "../src/index";
import { generateTemporaryPassword } from "../src/identity/local-jwt/temporary-password";
import { tempDir } from "./support";

describe("local-jwt identity specifics", () => {
  let temp: { dir: string; remove(): Promise<void> };
  let db: SqliteDatabase;
  let clock: number;
  const create = (database = db) =>
    createLocalIdentity({
      db: database,
      issuer: "http://localhost:8787/api",
      clientId: "retouch-web",
      accessTokenTtlSeconds: 600,
      refreshTokenTtlSeconds: 3600,
      loginMaxFailures: 3,
      loginLockoutSeconds: 30,
      now: () => clock,
    });

  beforeEach(async () => {
    temp = await tempDir("jwt");
    db = openSqlite(join(temp.dir, "identity.db"));
    clock = Date.parse("2026-11-25T00:00:00Z");
  });
  afterEach(async () => {
    db.close();
    await temp.remove();
  });

  async function confirmed(identity: Awaited<ReturnType<typeof create>>) {
    await identity.createUser({ username: "ana", temporaryPassword: "Temp-Pass-123!" });
    const first = await identity.signIn("ana", "Temp-Pass-123!");
    if (first.kind !== "challenge") throw new Error("expected a challenge");
    return identity.completeNewPassword("ana", first.session, "Chosen-Pass-456?");
  }

  it("says an expired token has expired", async () => {
    // Prepare
    const identity = await create();
    const tokens = await confirmed(identity);
    // Act
    clock += 601_000 + 5_000;
    // Assess
    await expect(identity.verifyAccessToken(tokens.accessToken)).rejects.toThrow(
      "The access token has expired",
    );
  });

  it("locks a name after repeated failures, doubling the lockout, and resets on success", async () => {
    // Prepare
    const identity = await create();
    await confirmed(identity);
    const fail = () => identity.signIn("ana", "Wrong-Pass-1!").catch((e: Error) => e);
    // Act
    const firstRound = [await fail(), await fail(), await fail(), await fail()];
    clock += 31_000;
    const secondRound = [await fail(), await fail(), await fail(), await fail()];
    clock += 61_000;
    const afterLockout = await identity.signIn("ana", "Chosen-Pass-456?");
    // Assess
    expect(firstRound.slice(0, 3).every((e) => e instanceof UnauthorizedError)).toBe(true);
    expect(firstRound[3]).toBeInstanceOf(TooManyRequestsError);
    expect((firstRound[3] as TooManyRequestsError).retryAfterSeconds).toBe(30);
    expect((secondRound[3] as TooManyRequestsError).retryAfterSeconds).toBe(60);
    expect(afterLockout.kind).toBe("tokens");
  });

  it("keeps its signing key and throttle across restarts", async () => {
    // Prepare
    const before = await create();
    const tokens = await confirmed(before);
    for (let i = 0; i < 3; i++) await before.signIn("ana", "Wrong-Pass-1!").catch(() => undefined);
    // Act
    const after = await create();
    // Assess
    expect((await after.verifyAccessToken(tokens.accessToken)).username).toBe("ana");
    expect((await after.jwks()).keys).toEqual((await before.jwks()).keys);
    await expect(after.signIn("ana", "Chosen-Pass-456?")).rejects.toBeInstanceOf(TooManyRequestsError);
  });

  it("stores scrypt hashes, never passwords", async () => {
    const identity = await create();
    await confirmed(identity);
    const row = db.prepare("SELECT password_hash FROM users WHERE username = 'ana'").get() as {
      password_hash: string;
    };
    expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(row.password_hash).not.toContain("Chosen");
  });

  it("expires the new-password challenge after three minutes", async () => {
    const identity = await create();
    await identity.createUser({ username: "bo", temporaryPassword: "Temp-Pass-123!" });
    const first = await identity.signIn("bo", "Temp-Pass-123!");
    if (first.kind !== "challenge") throw new Error("expected a challenge");
    clock += 181_000;
    await expect(identity.completeNewPassword("bo", first.session, "Chosen-Pass-456?")).rejects.toThrow(
      /expired/,
    );
  });

  it("publishes only the public key", async () => {
    const { keys } = await (await create()).jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(keys[0]).not.toHaveProperty("d");
  });

  it("generates temporary passwords that meet the policy", () => {
    for (let i = 0; i < 200; i++) expect(passwordProblems(generateTemporaryPassword())).toEqual([]);
  });
});
