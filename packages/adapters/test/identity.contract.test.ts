import { join } from "node:path";
import { SignJWT, generateKeyPair } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
  type Identity,
  type TokenSet,
} from "@retouch/core";
import { createLocalIdentity, openSqlite } from "../src/index";
import { tempDir } from "./support";

/** Every Identity adapter; Cognito (on cognito-local) adds one entry later and must pass the same tests. */
const IDENTITIES: { name: string; create(): Promise<{ identity: Identity; cleanup(): Promise<void> }> }[] = [
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
];

const TEMPORARY = "Temp-Pass-123!";
const CHOSEN = "Chosen-Pass-456?";
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());

for (const adapter of IDENTITIES) {
  describe(`Identity contract: ${adapter.name}`, () => {
    let identity: Identity;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ identity, cleanup } = await adapter.create());
    });
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

    it("asks for a new password at first sign-in and enforces the policy", async () => {
      // Prepare
      const { user } = await identity.createUser({
        username: "ana",
        email: "ana@example.com",
        temporaryPassword: TEMPORARY,
      });
      // Act
      const first = await identity.signIn("ana", TEMPORARY);
      if (first.kind !== "challenge") throw new Error("expected a challenge");
      const weak = identity.completeNewPassword("ana", first.session, "password");
      // Assess
      expect(user.status).toBe("FORCE_CHANGE_PASSWORD");
      expect(first).toMatchObject({ challenge: "NEW_PASSWORD_REQUIRED", username: "ana" });
      await expect(weak).rejects.toBeInstanceOf(ValidationError);
      await expect(weak).rejects.toThrow(/uppercase letter.*number.*symbol/);
      const tokens = await identity.completeNewPassword("ana", first.session, CHOSEN);
      expect(await identity.verifyAccessToken(tokens.accessToken)).toEqual({
        userId: user.id,
        username: "ana",
      });
      expect((await identity.getUser("ana"))?.status).toBe("CONFIRMED");
    });

    it("refuses to reuse a challenge session", async () => {
      await identity.createUser({ username: "ana", temporaryPassword: TEMPORARY });
      const first = await identity.signIn("ana", TEMPORARY);
      if (first.kind !== "challenge") throw new Error("expected a challenge");
      await identity.completeNewPassword("ana", first.session, CHOSEN);
      await expect(
        identity.completeNewPassword("ana", first.session, "Other-Pass-789!"),
      ).rejects.toBeInstanceOf(UnauthorizedError);
    });

    it("signs a confirmed user in directly, by username or email", async () => {
      // Prepare
      await confirmedUser();
      // Act
      const byName = await identity.signIn("ana", CHOSEN);
      const byEmail = await identity.signIn("ana@example.com", CHOSEN);
      // Assess
      expect(byName.kind).toBe("tokens");
      expect(byEmail.kind).toBe("tokens");
    });

    it("says the same for a wrong password and an unknown user", async () => {
      await confirmedUser();
      const wrong = await identity.signIn("ana", "Wrong-Pass-1!").catch((e: Error) => e);
      const unknown = await identity.signIn("nobody", "Wrong-Pass-1!").catch((e: Error) => e);
      expect(wrong).toBeInstanceOf(UnauthorizedError);
      expect(unknown).toBeInstanceOf(UnauthorizedError);
      expect((wrong as Error).message).toBe((unknown as Error).message);
    });

    it("refreshes tokens and refuses a garbage refresh token", async () => {
      const tokens = await confirmedUser();
      const refreshed = await identity.refresh(tokens.refreshToken);
      expect((await identity.verifyAccessToken(refreshed.accessToken)).username).toBe("ana");
      await expect(identity.refresh("garbage")).rejects.toBeInstanceOf(UnauthorizedError);
    });

    it("refuses an id token, a tampered token, alg none and a foreign key", async () => {
      // Prepare
      const tokens = await confirmedUser();
      const [header, payload, signature] = tokens.accessToken.split(".");
      const claims = claimsOf(tokens.accessToken);
      const { privateKey } = await generateKeyPair("ES256");
      const foreign = await new SignJWT(claims)
        .setProtectedHeader({
          alg: "ES256",
          kid: JSON.parse(Buffer.from(header!, "base64url").toString()).kid,
        })
        .sign(privateKey);
      const flipped = `${header}.${payload}.${signature![0] === "A" ? "B" : "A"}${signature!.slice(1)}`;
      const none = `${b64({ alg: "none", typ: "JWT" })}.${payload}.`;
      // Act / Assess
      for (const bad of [tokens.idToken, flipped, none, foreign, "not.a.jwt", ""]) {
        await expect(identity.verifyAccessToken(bad)).rejects.toBeInstanceOf(UnauthorizedError);
      }
    });

    it("issues Cognito-shaped claims", async () => {
      const tokens = await confirmedUser();
      expect(claimsOf(tokens.accessToken)).toMatchObject({ token_use: "access", username: "ana" });
      expect(claimsOf(tokens.idToken)).toMatchObject({
        token_use: "id",
        "cognito:username": "ana",
        email: "ana@example.com",
      });
      expect(tokens.tokenType).toBe("Bearer");
    });

    it("refuses duplicates and invalid input", async () => {
      await identity.createUser({ username: "ana", email: "ana@example.com" });
      await expect(identity.createUser({ username: "ana" })).rejects.toBeInstanceOf(ConflictError);
      await expect(identity.createUser({ username: "ANA" })).rejects.toBeInstanceOf(ConflictError);
      await expect(identity.createUser({ username: "bo", email: "ana@example.com" })).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(identity.createUser({ username: "has space" })).rejects.toBeInstanceOf(ValidationError);
      await expect(identity.createUser({ username: "cy", email: "not-an-email" })).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(
        identity.createUser({ username: "di", temporaryPassword: "short" }),
      ).rejects.toBeInstanceOf(ValidationError);
    });

    it("cuts off a deleted user at once", async () => {
      const tokens = await confirmedUser();
      await identity.deleteUser("ana");
      await expect(identity.verifyAccessToken(tokens.accessToken)).rejects.toBeInstanceOf(UnauthorizedError);
      await expect(identity.signIn("ana", CHOSEN)).rejects.toBeInstanceOf(UnauthorizedError);
      await expect(identity.deleteUser("ana")).rejects.toBeInstanceOf(NotFoundError);
    });

    it("resets a password: challenge again, old refresh token revoked", async () => {
      const tokens = await confirmedUser();
      const { temporaryPassword } = await identity.resetPassword("ana");
      expect((await identity.signIn("ana", temporaryPassword)).kind).toBe("challenge");
      await expect(identity.refresh(tokens.refreshToken)).rejects.toBeInstanceOf(UnauthorizedError);
      await expect(identity.signIn("ana", CHOSEN)).rejects.toBeInstanceOf(UnauthorizedError);
    });

    it("lists users without any secret", async () => {
      await confirmedUser("ana");
      await identity.createUser({ username: "bo" });
      const users = await identity.listUsers();
      expect(users.map((u) => u.username).sort()).toEqual(["ana", "bo"]);
      for (const user of users)
        expect(Object.keys(user).sort()).toEqual(["createdAt", "email", "id", "status", "username"]);
      expect(JSON.stringify(users)).not.toContain("scrypt");
    });
  });
}
