import { join } from "node:path";
import { SignJWT, generateKeyPair } from "jose";
import { afterAll, afterEach, beforeEach, describe, expect, it as vitestIt } from "vitest";
import {
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
  type Identity,
  type TokenSet,
} from "@retouch/core";
import { createCognitoIdentity, createLocalIdentity, openSqlite } from "../src/index";
import { startCognitoLocal } from "./local-aws";
import { tempDir } from "./support";

/** One cognito-local server for the file (started on first use); each test gets a fresh pool. */
let cognitoLocal: ReturnType<typeof startCognitoLocal> | undefined;
afterAll(async () => {
  if (cognitoLocal) await (await cognitoLocal).stop();
});

/**
 * Every Identity adapter. A Cognito adapter (run against cognito-local) joins with one entry
 * and must pass the same tests, which use only the `Identity` port.
 */
const IDENTITIES: {
  name: string;
  create(): Promise<{ identity: Identity; cleanup(): Promise<void> }>;
  /** Tests this adapter cannot pass, by title, each with the reason. */
  skips?: Record<string, string>;
}[] = [
  {
    name: "local-jwt",
    async create() {
      const temp = await tempDir("identity");
      const db = openSqlite(join(temp.dir, "identity.db"));
      const identity = await createLocalIdentity({
        db,
        issuer: "http://localhost:8787/api",
        clientId: "retouch-web",
        accessTokenTtlSeconds: 600,
        refreshTokenTtlSeconds: 3600,
        loginMaxFailures: 50,
        loginLockoutSeconds: 1,
      });
      return {
        identity,
        cleanup: async () => {
          db.close();
          await temp.remove();
        },
      };
    },
  },
  {
    name: "cognito (cognito-local)",
    async create() {
      cognitoLocal ??= startCognitoLocal();
      const server = await cognitoLocal;
      const pool = await server.createPool();
      const identity = createCognitoIdentity({ client: server.client, ...pool });
      return { identity, cleanup: async () => {} };
    },
    skips: {
      "refuses the access token of a deleted user at once":
        "Cognito access tokens are self-contained JWTs, valid until they expire; AdminDeleteUser cannot revoke one that is verified offline",
      "accepts a challenge session once, only for its own user":
        "cognito-local never checks a NEW_PASSWORD_REQUIRED session (any string, any user, any number of times)",
      "refreshes tokens and refuses a garbage refresh token":
        "cognito-local does not store refresh tokens issued by RespondToAuthChallenge, so they cannot be refreshed; identity-cognito.test.ts refreshes one from a direct sign-in",
      "resets a password: challenge again, old password and refresh token refused":
        "cognito-local answers NEW_PASSWORD_REQUIRED without checking the password of a FORCE_CHANGE_PASSWORD user, and lacks AdminUserGlobalSignOut; identity-cognito.test.ts checks the rest",
    },
  },
];

const TEMPORARY = "Temp-Pass-123!";
const CHOSEN = "Chosen-Pass-456?";
const INCORRECT = "Incorrect username or password.";
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const decode = (part: string | undefined) => JSON.parse(Buffer.from(part ?? "", "base64url").toString());
const claimsOf = (token: string) => decode(token.split(".")[1]);
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as Error,
  );

for (const adapter of IDENTITIES) {
  describe(adapter.name, () => {
    /** `it`, or `it.skip` with the stated reason when this adapter cannot have the behaviour. */
    const it = (title: string, test: () => Promise<void>) => {
      const reason = adapter.skips?.[title];
      if (reason === undefined) vitestIt(title, test);
      else vitestIt.skip(`${title} (skipped: ${reason})`, test);
    };
    let identity: Identity;
    let cleanup: () => Promise<void>;

    // Long enough to wait for cognito-local's fixed port while another test file holds it.
    beforeEach(async () => {
      ({ identity, cleanup } = await adapter.create());
    }, 60_000);
    afterEach(async () => {
      await cleanup();
    });

    /** Creates a user and takes them through the first sign-in. */
    async function confirmedUser(
      username = "ana",
      email: string | null = "ana@example.com",
    ): Promise<TokenSet> {
      await identity.createUser({ username, email, temporaryPassword: TEMPORARY });
      const first = await identity.signIn(username, TEMPORARY);
      if (first.kind !== "challenge") throw new Error("expected NEW_PASSWORD_REQUIRED");
      return identity.completeNewPassword(username, first.session, CHOSEN);
    }

    /** Signs in, expecting tokens. */
    async function tokensOf(username: string, password: string): Promise<TokenSet> {
      const result = await identity.signIn(username, password);
      if (result.kind !== "tokens") throw new Error(`expected tokens, got ${result.kind}`);
      return result.tokens;
    }

    it("asks for a new password at first sign-in, enforces the policy, then issues tokens", async () => {
      // Prepare
      const { user } = await identity.createUser({
        username: "ana",
        email: "ana@example.com",
        temporaryPassword: TEMPORARY,
      });

      // Act
      const first = await identity.signIn("ana", TEMPORARY);
      if (first.kind !== "challenge") throw new Error("expected a challenge");
      const weak = await failure(identity.completeNewPassword("ana", first.session, "password"));
      const tokens = await identity.completeNewPassword("ana", first.session, CHOSEN);
      const principal = await identity.verifyAccessToken(tokens.accessToken);

      // Assess
      expect(user).toMatchObject({
        username: "ana",
        email: "ana@example.com",
        status: "FORCE_CHANGE_PASSWORD",
      });
      expect(first).toMatchObject({ kind: "challenge", challenge: "NEW_PASSWORD_REQUIRED", username: "ana" });
      expect(first.session.length).toBeGreaterThan(20);
      expect(weak).toBeInstanceOf(ValidationError);
      expect(weak.message).toBe("Password must contain: an uppercase letter, a number, a symbol");
      expect(tokens).toMatchObject({ tokenType: "Bearer", expiresIn: expect.any(Number) });
      expect(principal).toEqual({ userId: user.id, username: "ana" });
      expect((await identity.getUser("ana"))?.status).toBe("CONFIRMED");
    });

    it("signs a confirmed user in directly: by username in any case, or by email", async () => {
      // Prepare
      const { user } = await identity.createUser({ username: "ana", email: "ana@example.com" });
      await confirmedUser("bo", "bo@example.com");

      // Act
      const byName = await tokensOf("bo", CHOSEN);
      const byUpperName = await tokensOf("BO", CHOSEN);
      const byEmail = await tokensOf("bo@example.com", CHOSEN);

      // Assess
      for (const tokens of [byName, byUpperName, byEmail]) {
        expect((await identity.verifyAccessToken(tokens.accessToken)).username).toBe("bo");
      }
      expect((await identity.getUser("ANA"))?.id).toBe(user.id);
    });

    it("gives a generated temporary password that works and meets the policy", async () => {
      // Prepare
      const { temporaryPassword } = await identity.createUser({ username: "cy" });

      // Act
      const first = await identity.signIn("cy", temporaryPassword);

      // Assess
      expect(first.kind).toBe("challenge");
      expect(temporaryPassword).toMatch(/[a-z]/);
      expect(temporaryPassword).toMatch(/[A-Z]/);
      expect(temporaryPassword).toMatch(/[0-9]/);
      expect(temporaryPassword.length).toBeGreaterThanOrEqual(8);
    });

    it("says the same for a wrong password and an unknown user", async () => {
      // Prepare
      await confirmedUser();

      // Act
      const wrong = await failure(identity.signIn("ana", "Wrong-Pass-1!"));
      const unknown = await failure(identity.signIn("nobody", "Wrong-Pass-1!"));

      // Assess
      expect(wrong).toBeInstanceOf(UnauthorizedError);
      expect(unknown).toBeInstanceOf(UnauthorizedError);
      expect(wrong.message).toBe(INCORRECT);
      expect(unknown.message).toBe(INCORRECT);
    });

    it("accepts a challenge session once, only for its own user", async () => {
      // Prepare
      await identity.createUser({ username: "ana", temporaryPassword: TEMPORARY });
      await identity.createUser({ username: "bo", temporaryPassword: TEMPORARY });
      const first = await identity.signIn("ana", TEMPORARY);
      if (first.kind !== "challenge") throw new Error("expected a challenge");

      // Act
      const otherUser = await failure(identity.completeNewPassword("bo", first.session, CHOSEN));
      const garbage = await failure(identity.completeNewPassword("ana", "garbage", CHOSEN));
      await identity.completeNewPassword("ana", first.session, CHOSEN);
      const reused = await failure(identity.completeNewPassword("ana", first.session, "Other-Pass-789!"));

      // Assess
      for (const error of [otherUser, garbage, reused]) expect(error).toBeInstanceOf(UnauthorizedError);
      expect((await identity.getUser("bo"))?.status).toBe("FORCE_CHANGE_PASSWORD");
    });

    it("refreshes tokens and refuses a garbage refresh token", async () => {
      // Prepare
      const tokens = await confirmedUser();

      // Act
      const refreshed = await identity.refresh(tokens.refreshToken);
      const garbage = await failure(identity.refresh("garbage"));

      // Assess
      expect((await identity.verifyAccessToken(refreshed.accessToken)).username).toBe("ana");
      expect(refreshed.refreshToken).toBe(tokens.refreshToken);
      expect(claimsOf(refreshed.idToken)["cognito:username"]).toBe("ana");
      expect(garbage).toBeInstanceOf(UnauthorizedError);
    });

    it("issues Cognito-shaped claims", async () => {
      // Prepare / Act
      const tokens = await confirmedUser();
      const access = claimsOf(tokens.accessToken);
      const id = claimsOf(tokens.idToken);

      // Assess
      expect(access).toMatchObject({ token_use: "access", username: "ana", sub: expect.any(String) });
      expect(access.client_id).toBe(id.aud);
      expect(access.exp).toBeGreaterThan(access.iat);
      expect(id).toMatchObject({
        token_use: "id",
        "cognito:username": "ana",
        email: "ana@example.com",
        sub: access.sub,
        iss: access.iss,
      });
    });

    it("refuses an id token, a tampered token, alg none, a foreign key and garbage", async () => {
      // Prepare
      const tokens = await confirmedUser();
      const [header, payload, signature] = tokens.accessToken.split(".");
      const { privateKey } = await generateKeyPair("ES256");
      const foreign = await new SignJWT(claimsOf(tokens.accessToken))
        .setProtectedHeader({ alg: "ES256", kid: decode(header).kid })
        .sign(privateKey);
      const flipped = `${header}.${payload}.${signature![0] === "A" ? "B" : "A"}${signature!.slice(1)}`;
      const none = `${b64({ alg: "none", typ: "JWT" })}.${payload}.`;
      const forgedPayload = `${header}.${b64({ ...claimsOf(tokens.accessToken), username: "root" })}.${signature}`;

      // Act
      const errors = await Promise.all(
        [tokens.idToken, flipped, none, foreign, forgedPayload, "not.a.jwt", ""].map((bad) =>
          failure(identity.verifyAccessToken(bad)),
        ),
      );

      // Assess
      for (const error of errors) expect(error).toBeInstanceOf(UnauthorizedError);
      for (const error of errors) expect(error.message).not.toContain(signature!.slice(0, 12));
      expect((await identity.verifyAccessToken(tokens.accessToken)).username).toBe("ana");
    });

    it("refuses duplicates (409) and invalid input (400)", async () => {
      // Prepare
      await identity.createUser({ username: "ana", email: "ana@example.com" });

      // Act
      const results = await Promise.all([
        failure(identity.createUser({ username: "ana" })),
        failure(identity.createUser({ username: "ANA" })),
        failure(identity.createUser({ username: "bo", email: "ana@example.com" })),
        failure(identity.createUser({ username: "has space" })),
        failure(identity.createUser({ username: "cy", email: "not-an-email" })),
        failure(identity.createUser({ username: "di", temporaryPassword: "short" })),
      ]);

      // Assess
      expect(results.map((e) => e.constructor)).toEqual([
        ConflictError,
        ConflictError,
        ConflictError,
        ValidationError,
        ValidationError,
        ValidationError,
      ]);
      expect(results[5]!.message).toBe(
        "Password must contain: at least 8 characters, an uppercase letter, a number, a symbol",
      );
      expect((await identity.listUsers()).map((u) => u.username)).toEqual(["ana"]);
    });

    it("refuses the access token of a deleted user at once", async () => {
      // Prepare
      const tokens = await confirmedUser();

      // Act
      await identity.deleteUser("ana");

      // Assess
      await expect(identity.verifyAccessToken(tokens.accessToken)).rejects.toBeInstanceOf(UnauthorizedError);
    });

    it("cuts off a deleted user at once", async () => {
      // Prepare
      const tokens = await confirmedUser();

      // Act
      await identity.deleteUser("ana");

      // Assess
      await expect(identity.refresh(tokens.refreshToken)).rejects.toBeInstanceOf(UnauthorizedError);
      await expect(identity.signIn("ana", CHOSEN)).rejects.toThrow(INCORRECT);
      await expect(identity.deleteUser("ana")).rejects.toBeInstanceOf(NotFoundError);
      expect(await identity.getUser("ana")).toBeNull();
    });

    it("resets a password: challenge again, old password and refresh token refused", async () => {
      // Prepare
      const tokens = await confirmedUser();

      // Act
      const { temporaryPassword } = await identity.resetPassword("ana");
      const given = await identity.resetPassword("ana", "Given-Temp-1!");

      // Assess
      expect(given.temporaryPassword).toBe("Given-Temp-1!");
      expect((await identity.getUser("ana"))?.status).toBe("FORCE_CHANGE_PASSWORD");
      await expect(identity.signIn("ana", temporaryPassword)).rejects.toBeInstanceOf(UnauthorizedError);
      expect((await identity.signIn("ana", "Given-Temp-1!")).kind).toBe("challenge");
      await expect(identity.signIn("ana", CHOSEN)).rejects.toBeInstanceOf(UnauthorizedError);
      await expect(identity.refresh(tokens.refreshToken)).rejects.toBeInstanceOf(UnauthorizedError);
      await expect(identity.resetPassword("nobody")).rejects.toBeInstanceOf(NotFoundError);
      await expect(identity.resetPassword("ana", "weak")).rejects.toBeInstanceOf(ValidationError);
    });

    it("lists users without any secret", async () => {
      // Prepare
      await confirmedUser("ana");
      await identity.createUser({ username: "bo" });

      // Act
      const users = await identity.listUsers();

      // Assess
      expect(users.map((u) => u.username).sort()).toEqual(["ana", "bo"]);
      for (const user of users) {
        expect(Object.keys(user).sort()).toEqual(["createdAt", "email", "id", "status", "username"]);
      }
      expect(users.find((u) => u.username === "bo")).toMatchObject({
        email: null,
        status: "FORCE_CHANGE_PASSWORD",
      });
      expect(JSON.stringify(users)).not.toMatch(/scrypt|Pass/);
    });
  });
}
