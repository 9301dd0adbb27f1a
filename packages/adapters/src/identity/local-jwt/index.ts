import { randomBytes } from "node:crypto";
import type { JWK } from "jose";
import { z } from "zod";
import {
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  UsernameSchema,
  ValidationError,
  type Identity,
  type SignInResult,
  type TokenSet,
} from "@retouch/core";
import { migrate, type SqliteDatabase } from "../../sqlite/database";
import { LoginThrottle } from "./login-throttle";
import { hashOpaqueToken, newOpaqueToken } from "./opaque-token";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password-hash";
import { assertPasswordPolicy } from "./password-rules";
import { IDENTITY_MIGRATIONS } from "./schema";
import { loadSigningKeys } from "./signing-keys";
import { generateTemporaryPassword } from "./temporary-password";
import { createJwtTokens } from "./tokens";
import { createUserStore, toUser, type UserRow } from "./user-store";

/**
 * Settings of the local identity.
 *
 * @example
 * ```ts
 * const options: LocalIdentityOptions = {
 *   db: openSqlite(".retouch-data/retouch.db"),
 *   issuer: "http://localhost:8787/api",
 *   clientId: "retouch-web",
 *   accessTokenTtlSeconds: 3600,
 *   refreshTokenTtlSeconds: 30 * 86400,
 *   loginMaxFailures: 5,
 *   loginLockoutSeconds: 60,
 * };
 * ```
 */
export interface LocalIdentityOptions {
  db: SqliteDatabase;
  /** The `iss` claim, e.g. `http://localhost:8787/api`. */
  issuer: string;
  /** `aud` of id tokens and `client_id` of access tokens, e.g. `retouch-web`. */
  clientId: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Failed sign-ins in a row before a name is locked. */
  loginMaxFailures: number;
  /** First lockout; each further one doubles, up to 15 minutes. */
  loginLockoutSeconds: number;
  /** Milliseconds clock, for tests. */
  now?: () => number;
}

/**
 * The local `Identity`, plus the public keys it publishes.
 *
 * @example
 * ```ts
 * app.get("/.well-known/jwks.json", async (c) => c.json(await identity.jwks()));
 * ```
 */
export interface LocalIdentity extends Identity {
  /** Public keys for `/.well-known/jwks.json` (never a private part). */
  jwks(): Promise<{ keys: JWK[] }>;
}

/** Cognito's lifetime of a `NEW_PASSWORD_REQUIRED` session. */
const CHALLENGE_MS = 3 * 60_000;
const INCORRECT = "Incorrect username or password.";
const SESSION_EXPIRED = "Your sign-in session has expired; sign in again";
const REFRESH_REFUSED = "The refresh token is invalid or has expired; sign in again";
/** Longer inputs than this cannot be one of our opaque tokens; skip the lookup. */
const MAX_OPAQUE_TOKEN_LENGTH = 128;

const EmailSchema = z.email();

/**
 * The local `Identity` (Cognito-like): admin-created users in SQLite with scrypt hashes, a
 * `NEW_PASSWORD_REQUIRED` challenge at first sign-in, Cognito's default password policy,
 * ES256 access/id tokens shaped like Cognito's (keys kept in SQLite), opaque refresh tokens
 * stored hashed, and failed sign-ins throttled per name with doubling lockouts.
 *
 * @example
 * ```ts
 * const identity = await createIdentity({ db, issuer: "http://localhost:8787/api", clientId: "retouch-web",
 *   accessTokenTtlSeconds: 3600, refreshTokenTtlSeconds: 2592000, loginMaxFailures: 5, loginLockoutSeconds: 60 });
 * const { temporaryPassword } = await identity.createUser({ username: "ana", email: "ana@example.com" });
 * const first = await identity.signIn("ana", temporaryPassword); // { kind: "challenge", session, … }
 * if (first.kind === "challenge") await identity.completeNewPassword("ana", first.session, "N3w-Passw0rd!");
 * ```
 */
export async function createIdentity(options: LocalIdentityOptions): Promise<LocalIdentity> {
  const { db } = options;
  const nowMs = options.now ?? Date.now;
  const nowSeconds = () => Math.floor(nowMs() / 1000);
  const isoNow = () => new Date(nowMs()).toISOString();

  migrate(db, "identity", IDENTITY_MIGRATIONS);
  const keys = await loadSigningKeys(db);
  const jwt = createJwtTokens({
    keys,
    issuer: options.issuer,
    clientId: options.clientId,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    now: nowMs,
  });
  const users = createUserStore(db);
  const throttle = new LoginThrottle(db, {
    maxFailures: options.loginMaxFailures,
    lockoutSeconds: options.loginLockoutSeconds,
    now: nowMs,
  });
  // Ready before the first sign-in, so an unknown name never costs an extra hash.
  await dummyPasswordHash();

  const tokenSet = async (user: UserRow, refreshToken: string, authTime: number): Promise<TokenSet> => ({
    ...(await jwt.sign(user, authTime)),
    refreshToken,
    expiresIn: options.accessTokenTtlSeconds,
    tokenType: "Bearer",
  });

  /** Tokens for a user who has just proven their password. */
  const signedIn = (user: UserRow): Promise<TokenSet> => {
    const refreshToken = newOpaqueToken();
    const now = nowSeconds();
    users.addRefreshToken(hashOpaqueToken(refreshToken), {
      userId: user.id,
      expiresAt: now + options.refreshTokenTtlSeconds,
      authTime: now,
      nowSeconds: now,
    });
    return tokenSet(user, refreshToken, now);
  };

  const requireUser = (username: string): UserRow => {
    const row = users.find(username);
    if (!row) throw new NotFoundError("user", username);
    return row;
  };

  return {
    async jwks() {
      return { keys: keys.publicJwks.map((key) => ({ ...key })) };
    },

    async verifyAccessToken(token) {
      const { sub, iat } = await jwt.verifyAccess(token);
      const user = users.findById(sub);
      if (!user || iat < user.tokens_valid_after) throw new UnauthorizedError("Invalid access token");
      return { userId: user.id, username: user.username };
    },

    async signIn(username, password): Promise<SignInResult> {
      const found = users.find(username);
      const throttleName = found?.username ?? username;
      throttle.beginAttempt(throttleName);
      const ok = await verifyPassword(password, found?.password_hash ?? (await dummyPasswordHash()));
      // Re-read: the user may have been deleted or reset while scrypt ran.
      const user = found && users.findById(found.id);
      if (!ok || !user || user.password_hash !== found.password_hash) throw new UnauthorizedError(INCORRECT);
      throttle.recordSuccess(throttleName);
      if (user.status === "FORCE_CHANGE_PASSWORD") {
        const session = newOpaqueToken();
        users.addSession(hashOpaqueToken(session), user.id, nowMs() + CHALLENGE_MS, nowMs());
        return { kind: "challenge", challenge: "NEW_PASSWORD_REQUIRED", session, username: user.username };
      }
      return { kind: "tokens", tokens: await signedIn(user) };
    },

    async completeNewPassword(username, session, newPassword) {
      const user = users.find(username);
      const sessionHash = hashOpaqueToken(session);
      const row = session.length <= MAX_OPAQUE_TOKEN_LENGTH ? users.findSession(sessionHash) : undefined;
      if (
        !user ||
        !row ||
        row.user_id !== user.id ||
        nowMs() >= row.expires_at_ms ||
        user.status !== "FORCE_CHANGE_PASSWORD"
      ) {
        throw new UnauthorizedError(SESSION_EXPIRED);
      }
      assertPasswordPolicy(newPassword);
      if (await verifyPassword(newPassword, user.password_hash)) {
        throw new ValidationError("The new password must differ from the temporary password");
      }
      const passwordHash = await hashPassword(newPassword);
      // Single use, even when two requests race with the same session.
      if (!users.consumeSession(sessionHash)) throw new UnauthorizedError(SESSION_EXPIRED);
      users.setPassword(user.id, { passwordHash, status: "CONFIRMED", updatedAt: isoNow() });
      return signedIn({ ...user, password_hash: passwordHash, status: "CONFIRMED" });
    },

    async refresh(refreshToken) {
      const row =
        refreshToken.length <= MAX_OPAQUE_TOKEN_LENGTH
          ? users.findRefreshToken(hashOpaqueToken(refreshToken))
          : undefined;
      const user = row && users.findById(row.user_id);
      if (!row || !user || nowSeconds() >= row.expires_at || user.status !== "CONFIRMED") {
        throw new UnauthorizedError(REFRESH_REFUSED);
      }
      return tokenSet(user, refreshToken, row.auth_time);
    },

    async createUser(input) {
      const username = UsernameSchema.safeParse(input.username);
      if (!username.success) {
        throw new ValidationError(`Invalid username: ${username.error.issues[0]?.message ?? "malformed"}`);
      }
      const rawEmail = input.email?.trim() || null;
      const email = rawEmail === null ? null : EmailSchema.safeParse(rawEmail);
      if (email && !email.success) throw new ValidationError("Invalid email address");
      const temporaryPassword = input.temporaryPassword ?? generateTemporaryPassword();
      assertPasswordPolicy(temporaryPassword);
      if (users.find(username.data)) throw new ConflictError("User account already exists");
      if (email && users.find(email.data)) {
        throw new ConflictError("An account with the given email already exists");
      }
      const now = isoNow();
      const row: UserRow = {
        id: `usr_${randomBytes(16).toString("hex")}`,
        username: username.data,
        email: email?.data ?? null,
        password_hash: await hashPassword(temporaryPassword),
        status: "FORCE_CHANGE_PASSWORD",
        created_at: now,
        updated_at: now,
        tokens_valid_after: 0,
      };
      users.insert(row);
      return { user: toUser(row), temporaryPassword };
    },

    async listUsers() {
      return users.list().map(toUser);
    },

    async getUser(username) {
      const row = users.find(username);
      return row ? toUser(row) : null;
    },

    async deleteUser(username) {
      users.remove(requireUser(username).id);
    },

    async resetPassword(username, given) {
      const user = requireUser(username);
      const temporaryPassword = given ?? generateTemporaryPassword();
      assertPasswordPolicy(temporaryPassword);
      const passwordHash = await hashPassword(temporaryPassword);
      users.setPassword(
        user.id,
        { passwordHash, status: "FORCE_CHANGE_PASSWORD", updatedAt: isoNow() },
        { nowSeconds: nowSeconds() },
      );
      // An admin reset also lifts a lockout, so the user can use the new password at once.
      throttle.recordSuccess(user.username);
      return { temporaryPassword };
    },
  };
}
