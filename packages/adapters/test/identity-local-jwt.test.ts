import { join } from "node:path";
import { SignJWT, decodeProtectedHeader } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TooManyRequestsError, UnauthorizedError, ValidationError, passwordProblems } from "@retouch/core";
import { createLocalIdentity, migrate, openSqlite, type SqliteDatabase } from "../src/index";
import { hashPassword, verifyPassword } from "../src/identity/local-jwt/password-hash";
import { IDENTITY_MIGRATIONS } from "../src/identity/local-jwt/schema";
import { generateTemporaryPassword } from "../src/identity/local-jwt/temporary-password";
import { tempDir } from "./support";

const TEMPORARY = "Temp-Pass-123!";
const CHOSEN = "Chosen-Pass-456?";
const WRONG = "Wrong-Pass-1!";
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as Error,
  );

describe("local-jwt identity", () => {
  let temp: { dir: string; remove(): Promise<void> };
  let dbPath: string;
  let db: SqliteDatabase;
  let clock: number;
  const create = (
    overrides: { db?: SqliteDatabase; issuer?: string; clientId?: string; lockout?: number } = {},
  ) =>
    createLocalIdentity({
      db: overrides.db ?? db,
      issuer: overrides.issuer ?? "http://localhost:8787/api",
      clientId: overrides.clientId ?? "retouch-web",
      accessTokenTtlSeconds: 600,
      refreshTokenTtlSeconds: 3600,
      loginMaxFailures: 3,
      loginLockoutSeconds: overrides.lockout ?? 30,
      now: () => clock,
    });
  type Local = Awaited<ReturnType<typeof create>>;

  beforeEach(async () => {
    temp = await tempDir("jwt");
    dbPath = join(temp.dir, "identity.db");
    db = openSqlite(dbPath);
    clock = Date.parse("2026-11-25T00:00:00Z");
  });
  afterEach(async () => {
    db.close();
    await temp.remove();
  });

  async function confirmed(identity: Local, username = "ana") {
    await identity.createUser({ username, email: `${username}@example.com`, temporaryPassword: TEMPORARY });
    const first = await identity.signIn(username, TEMPORARY);
    if (first.kind !== "challenge") throw new Error("expected a challenge");
    return identity.completeNewPassword(username, first.session, CHOSEN);
  }

  describe("tokens", () => {
    it("says an expired token has expired, allowing 5 seconds of skew", async () => {
      // Prepare
      const identity = await create();
      const tokens = await confirmed(identity);

      // Act
      clock += 600_000 + 4_000;
      const withinSkew = await identity.verifyAccessToken(tokens.accessToken);
      clock += 2_000;
      const expired = await failure(identity.verifyAccessToken(tokens.accessToken));

      // Assess
      expect(withinSkew.username).toBe("ana");
      expect(expired).toBeInstanceOf(UnauthorizedError);
      expect(expired.message).toBe("The access token has expired");
    });

    it("issues exactly Cognito's claims, signed ES256 with the published kid", async () => {
      // Prepare
      const identity = await create();

      // Act
      const tokens = await confirmed(identity);
      const { keys } = await identity.jwks();

      // Assess
      const iat = clock / 1000;
      const access = claimsOf(tokens.accessToken);
      expect(access).toEqual({
        sub: expect.stringMatching(/^usr_[0-9a-f]{32}$/),
        iss: "http://localhost:8787/api",
        client_id: "retouch-web",
        token_use: "access",
        username: "ana",
        scope: "retouch/api",
        iat,
        exp: iat + 600,
        jti: expect.any(String),
        auth_time: iat,
      });
      expect(claimsOf(tokens.idToken)).toEqual({
        sub: access.sub,
        iss: "http://localhost:8787/api",
        aud: "retouch-web",
        token_use: "id",
        "cognito:username": "ana",
        email: "ana@example.com",
        iat,
        exp: iat + 600,
        jti: expect.any(String),
        auth_time: iat,
      });
      for (const token of [tokens.accessToken, tokens.idToken]) {
        expect(decodeProtectedHeader(token)).toEqual({ alg: "ES256", kid: keys[0]!.kid, typ: "JWT" });
      }
      expect(tokens.refreshToken).toMatch(/^[\w-]{43}$/);
      expect(tokens.expiresIn).toBe(600);
    });

    it("leaves email out of the id token of a user without one", async () => {
      const identity = await create();
      await identity.createUser({ username: "bo", temporaryPassword: TEMPORARY });
      const first = await identity.signIn("bo", TEMPORARY);
      if (first.kind !== "challenge") throw new Error("expected a challenge");
      const tokens = await identity.completeNewPassword("bo", first.session, CHOSEN);
      expect(claimsOf(tokens.idToken)).not.toHaveProperty("email");
    });

    it("refuses a token of another issuer or client, and HS256 made with the public key", async () => {
      // Prepare: same database, so the same signing key
      const identity = await create();
      await confirmed(identity);
      const otherIssuer = await create({ issuer: "http://elsewhere.test/api" });
      const otherClient = await create({ clientId: "someone-else" });
      const fromIssuer = await otherIssuer.signIn("ana", CHOSEN);
      const fromClient = await otherClient.signIn("ana", CHOSEN);
      if (fromIssuer.kind !== "tokens" || fromClient.kind !== "tokens") throw new Error("expected tokens");
      const good = await identity.signIn("ana", CHOSEN);
      if (good.kind !== "tokens") throw new Error("expected tokens");
      const publicJwk = (await identity.jwks()).keys[0]!;
      const confused = await new SignJWT(claimsOf(good.tokens.accessToken))
        .setProtectedHeader({ alg: "HS256", kid: publicJwk.kid! })
        .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));

      // Act
      const errors = await Promise.all(
        [fromIssuer.tokens.accessToken, fromClient.tokens.accessToken, confused].map((token) =>
          failure(identity.verifyAccessToken(token)),
        ),
      );

      // Assess
      for (const error of errors) {
        expect(error).toBeInstanceOf(UnauthorizedError);
        expect(error.message).toBe("Invalid access token");
      }
    });

    it("keeps auth_time and the refresh token on refresh, and lets refresh tokens expire", async () => {
      // Prepare
      const identity = await create();
      const tokens = await confirmed(identity);
      const authTime = clock / 1000;

      // Act
      clock += 1000_000;
      const refreshed = await identity.refresh(tokens.refreshToken);
      clock += 3600_000;
      const expired = await failure(identity.refresh(tokens.refreshToken));

      // Assess
      expect(claimsOf(refreshed.accessToken)).toMatchObject({ auth_time: authTime, iat: authTime + 1000 });
      expect(claimsOf(refreshed.idToken)).toMatchObject({ auth_time: authTime });
      expect(refreshed.refreshToken).toBe(tokens.refreshToken);
      expect(expired).toBeInstanceOf(UnauthorizedError);
    });

    it("stores refresh tokens and sessions only as hashes", async () => {
      // Prepare
      const identity = await create();
      const tokens = await confirmed(identity);
      await identity.createUser({ username: "bo", temporaryPassword: TEMPORARY });
      const challenge = await identity.signIn("bo", TEMPORARY);
      if (challenge.kind !== "challenge") throw new Error("expected a challenge");

      // Act
      const dump = JSON.stringify([
        db.prepare("SELECT * FROM refresh_tokens").all(),
        db.prepare("SELECT * FROM challenge_sessions").all(),
      ]);

      // Assess
      expect(dump).toMatch(/[0-9a-f]{64}/);
      expect(dump).not.toContain(tokens.refreshToken);
      expect(dump).not.toContain(challenge.session);
    });

    it("refuses access tokens issued before a password reset", async () => {
      // Prepare
      const identity = await create();
      const tokens = await confirmed(identity);

      // Act
      clock += 5_000;
      await identity.resetPassword("ana", "Reset-Temp-1!");
      const first = await identity.signIn("ana", "Reset-Temp-1!");
      if (first.kind !== "challenge") throw new Error("expected a challenge");
      const fresh = await identity.completeNewPassword("ana", first.session, "Fresh-Pass-2?");

      // Assess
      await expect(identity.verifyAccessToken(tokens.accessToken)).rejects.toBeInstanceOf(UnauthorizedError);
      expect((await identity.verifyAccessToken(fresh.accessToken)).username).toBe("ana");
    });
  });

  describe("challenge", () => {
    it("expires the new-password session after three minutes", async () => {
      // Prepare
      const identity = await create();
      await identity.createUser({ username: "bo", temporaryPassword: TEMPORARY });
      const first = await identity.signIn("bo", TEMPORARY);
      if (first.kind !== "challenge") throw new Error("expected a challenge");

      // Act
      clock += 180_000;
      const expired = await failure(identity.completeNewPassword("bo", first.session, CHOSEN));

      // Assess
      expect(expired).toBeInstanceOf(UnauthorizedError);
      expect(expired.message).toBe("Your sign-in session has expired; sign in again");
    });

    it("refuses the temporary password as the new one, and lets the user retry", async () => {
      // Prepare
      const identity = await create();
      await identity.createUser({ username: "bo", temporaryPassword: TEMPORARY });
      const first = await identity.signIn("bo", TEMPORARY);
      if (first.kind !== "challenge") throw new Error("expected a challenge");

      // Act
      const same = await failure(identity.completeNewPassword("bo", first.session, TEMPORARY));
      const retried = await identity.completeNewPassword("bo", first.session, CHOSEN);

      // Assess
      expect(same).toBeInstanceOf(ValidationError);
      expect(same.message).toMatch(/differ/);
      expect(retried.accessToken).toBeTruthy();
    });

    it("uses a session once even when two answers race", async () => {
      // Prepare
      const identity = await create();
      await identity.createUser({ username: "bo", temporaryPassword: TEMPORARY });
      const first = await identity.signIn("bo", TEMPORARY);
      if (first.kind !== "challenge") throw new Error("expected a challenge");

      // Act
      const results = await Promise.allSettled([
        identity.completeNewPassword("bo", first.session, CHOSEN),
        identity.completeNewPassword("bo", first.session, "Other-Pass-789!"),
      ]);

      // Assess
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    });
  });

  describe("throttling", () => {
    it("locks a name after repeated failures with an exact Retry-After, even for the right password", async () => {
      // Prepare
      const identity = await create();
      await confirmed(identity);

      // Act
      const failures = [];
      for (let i = 0; i < 3; i++) failures.push(await failure(identity.signIn("ana", WRONG)));
      const locked = (await failure(identity.signIn("ana", CHOSEN))) as TooManyRequestsError;
      clock += 10_500;
      const later = (await failure(identity.signIn("ana", CHOSEN))) as TooManyRequestsError;
      clock += 19_500;
      const unlocked = await identity.signIn("ana", CHOSEN);

      // Assess
      for (const error of failures) expect(error).toBeInstanceOf(UnauthorizedError);
      expect(locked).toBeInstanceOf(TooManyRequestsError);
      expect(locked.retryAfterSeconds).toBe(30);
      expect(locked.message).toBe("Too many failed sign-in attempts; try again in 30 seconds");
      expect(locked.statusCode).toBe(429);
      expect(later.retryAfterSeconds).toBe(20);
      expect(unlocked.kind).toBe("tokens");
    });

    it("doubles each further lockout up to 15 minutes, and a success resets it", async () => {
      // Prepare
      const identity = await create({ lockout: 300 });
      await confirmed(identity);
      const lockoutAfterFailures = async () => {
        for (let i = 0; i < 3; i++) await failure(identity.signIn("ana", WRONG));
        const error = (await failure(identity.signIn("ana", WRONG))) as TooManyRequestsError;
        clock += error.retryAfterSeconds * 1000;
        return error.retryAfterSeconds;
      };

      // Act
      const lockouts = [
        await lockoutAfterFailures(),
        await lockoutAfterFailures(),
        await lockoutAfterFailures(),
        await lockoutAfterFailures(),
      ];
      await identity.signIn("ana", CHOSEN);
      const afterSuccess = await lockoutAfterFailures();

      // Assess
      expect(lockouts).toEqual([300, 600, 900, 900]);
      expect(afterSuccess).toBe(300);
    });

    it("counts per name in any case or by email, and throttles unknown names alike", async () => {
      // Prepare
      const identity = await create();
      await confirmed(identity);

      // Act
      await failure(identity.signIn("ANA", WRONG));
      await failure(identity.signIn("ana@example.com", WRONG));
      await failure(identity.signIn("Ana", WRONG));
      for (let i = 0; i < 3; i++) await failure(identity.signIn("Nobody", WRONG));
      const known = await failure(identity.signIn("ana", CHOSEN));
      const unknown = await failure(identity.signIn("nobody", WRONG));

      // Assess
      expect(known).toBeInstanceOf(TooManyRequestsError);
      expect(unknown).toBeInstanceOf(TooManyRequestsError);
    });

    it("lets no more than the allowed guesses through a concurrent burst", async () => {
      // Prepare
      const identity = await create();
      await confirmed(identity);

      // Act
      const errors = await Promise.all(
        Array.from({ length: 8 }, () => failure(identity.signIn("ana", WRONG))),
      );

      // Assess
      expect(errors.filter((e) => e instanceof UnauthorizedError)).toHaveLength(3);
      expect(errors.filter((e) => e instanceof TooManyRequestsError)).toHaveLength(5);
    });

    it("lifts a lockout when an admin resets the password", async () => {
      // Prepare
      const identity = await create();
      await confirmed(identity);
      for (let i = 0; i < 3; i++) await failure(identity.signIn("ana", WRONG));

      // Act
      await identity.resetPassword("ana", "Reset-Temp-1!");

      // Assess
      expect((await identity.signIn("ana", "Reset-Temp-1!")).kind).toBe("challenge");
    });
  });

  describe("persistence", () => {
    it("keeps its signing key, users and throttle across restarts", async () => {
      // Prepare
      const before = await create();
      const tokens = await confirmed(before);
      for (let i = 0; i < 3; i++) await failure(before.signIn("ana", WRONG));
      db.close();
      db = openSqlite(dbPath);

      // Act
      const after = await create();

      // Assess
      expect((await after.verifyAccessToken(tokens.accessToken)).username).toBe("ana");
      expect((await after.refresh(tokens.refreshToken)).refreshToken).toBe(tokens.refreshToken);
      expect((await after.jwks()).keys).toEqual((await before.jwks()).keys);
      await expect(after.signIn("ana", CHOSEN)).rejects.toBeInstanceOf(TooManyRequestsError);
    });

    it("upgrades a database made with the first schema, keeping users and keys", async () => {
      // Prepare
      migrate(db, "identity", IDENTITY_MIGRATIONS.slice(0, 1));
      db.prepare(
        "INSERT INTO users (id, username, email, password_hash, status, created_at, updated_at) VALUES ('usr_old', 'old', NULL, ?, 'CONFIRMED', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
      ).run(await hashPassword(CHOSEN));
      db.prepare(
        "INSERT INTO login_throttle (username, failures, lockouts, locked_until) VALUES ('old', 2, 0, 0)",
      ).run();

      // Act
      const identity = await create();
      const result = await identity.signIn("old", CHOSEN);

      // Assess
      if (result.kind !== "tokens") throw new Error("expected tokens");
      expect(await identity.verifyAccessToken(result.tokens.accessToken)).toEqual({
        userId: "usr_old",
        username: "old",
      });
      expect((await identity.refresh(result.tokens.refreshToken)).accessToken).toBeTruthy();
    });

    it("ends up with one key when two processes start on a new database at once", async () => {
      // Prepare
      const second = openSqlite(dbPath);

      // Act
      const [a, b] = await Promise.all([create(), create({ db: second })]);
      const tokens = await confirmed(a);

      // Assess
      try {
        expect((await a.jwks()).keys).toEqual((await b.jwks()).keys);
        expect((await a.jwks()).keys).toHaveLength(1);
        expect((await b.verifyAccessToken(tokens.accessToken)).username).toBe("ana");
      } finally {
        second.close();
      }
    });

    it("publishes only the public key", async () => {
      // Prepare / Act
      const { keys } = await (await create()).jwks();

      // Assess
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({
        kty: "EC",
        crv: "P-256",
        alg: "ES256",
        use: "sig",
        kid: expect.any(String),
      });
      expect(Object.keys(keys[0]!).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
      expect(JSON.stringify(db.prepare("SELECT private_jwk FROM signing_keys").all())).toContain('\\"d\\"');
    });
  });

  describe("passwords", () => {
    it("stores scrypt hashes with their parameters, never passwords", async () => {
      // Prepare
      const identity = await create();

      // Act
      await confirmed(identity);

      // Assess
      const row = db.prepare("SELECT password_hash FROM users WHERE username = 'ana'").get() as {
        password_hash: string;
      };
      expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
      expect(row.password_hash).not.toContain("Chosen");
    });

    it("salts every hash and verifies only the right password", async () => {
      // Prepare
      const [a, b] = await Promise.all([hashPassword(CHOSEN), hashPassword(CHOSEN)]);

      // Act
      const results = await Promise.all([
        verifyPassword(CHOSEN, a),
        verifyPassword(CHOSEN, b),
        verifyPassword(WRONG, a),
        verifyPassword(CHOSEN, "scrypt$16384$8$1$$"),
        verifyPassword(
          CHOSEN,
          "scrypt$3$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ),
        verifyPassword(CHOSEN, "bcrypt$whatever"),
      ]);

      // Assess
      expect(a).not.toBe(b);
      expect(results).toEqual([true, true, false, false, false, false]);
    });

    it("generates temporary passwords that meet the policy", () => {
      // Prepare / Act
      const passwords = Array.from({ length: 200 }, () => generateTemporaryPassword());

      // Assess
      for (const password of passwords) expect(passwordProblems(password)).toEqual([]);
      expect(new Set(passwords).size).toBe(200);
    });

    it("turns a concurrent duplicate create into a conflict, not a database error", async () => {
      // Prepare
      const identity = await create();

      // Act
      const results = await Promise.allSettled([
        identity.createUser({ username: "ana" }),
        identity.createUser({ username: "ANA" }),
      ]);

      // Assess
      const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
      expect(rejected?.reason).toMatchObject({ statusCode: 409 });
      expect(await identity.listUsers()).toHaveLength(1);
    });
  });
});
