import { createHash, randomBytes, randomUUID } from "node:crypto";
import { SignJWT, createLocalJWKSet, errors as joseErrors, jwtVerify, type JWK } from "jose";
import { z } from "zod";
import {
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  UsernameSchema,
  ValidationError,
  passwordProblems,
  type Identity,
  type SignInResult,
  type TokenSet,
  type User,
} from "@retouch/core";
import { migrate, type SqliteDatabase } from "../../sqlite/database";
import { LoginThrottle } from "./login-throttle";
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from "./password-hash";
import { IDENTITY_MIGRATIONS } from "./schema";
import { loadSigningKey } from "./signing-keys";
import { generateTemporaryPassword } from "./temporary-password";

export interface LocalIdentityOptions {
  db: SqliteDatabase;
  /** The `iss` claim, e.g. `http://localhost:8787/api`. */
  issuer: string;
  /** `aud` of id tokens and `client_id` of access tokens. */
  clientId: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  loginMaxFailures: number;
  loginLockoutSeconds: number;
  /** Milliseconds clock, for tests. */
  now?: () => number;
}

/** The local identity, plus the public keys it publishes at `/.well-known/jwks.json`. */
export interface LocalIdentity extends Identity {
  jwks(): Promise<{ keys: JWK[] }>;
}

interface UserRow {
  id: string;
  username: string;
  email: string | null;
  password_hash: string;
  status: User["status"];
  created_at: string;
}

/** Cognito's lifetime of a `NEW_PASSWORD_REQUIRED` session. */
const CHALLENGE_SECONDS = 180;
const INCORRECT = "Incorrect username or password.";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const opaqueToken = () => randomBytes(32).toString("base64url");
const toUser = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  email: row.email,
  status: row.status,
  createdAt: row.created_at,
});

function assertPolicy(password: string, what: string): void {
  const problems = passwordProblems(password);
  if (problems.length > 0) {
    throw new ValidationError(`${what} must contain ${problems.join(", ")}`, { problems });
  }
}

/**
 * The local `Identity`: users in SQLite with scrypt hashes, ES256 JWTs shaped like Cognito's,
 * opaque refresh tokens, the `NEW_PASSWORD_REQUIRED` challenge and throttled failures.
 *
 * @example
 * ```ts
 * const identity = await createIdentity({ db, issuer: "http://localhost:8787/api", clientId: "retouch-web",
 *   accessTokenTtlSeconds: 3600, refreshTokenTtlSeconds: 2592000, loginMaxFailures: 5, loginLockoutSeconds: 60 });
 * const { temporaryPassword } = await identity.createUser({ username: "ana" });
 * ```
 */
export async function createIdentity(options: LocalIdentityOptions): Promise<LocalIdentity> {
  const { db, issuer, clientId } = options;
  const nowMs = options.now ?? Date.now;
  const nowSeconds = () => Math.floor(nowMs() / 1000);
  migrate(db, "identity", IDENTITY_MIGRATIONS);
  const key = await loadSigningKey(db);
  const keySet = createLocalJWKSet({ keys: [key.publicJwk] });
  const throttle = new LoginThrottle(db, options.loginMaxFailures, options.loginLockoutSeconds, nowSeconds);

  const sql = {
    byName: db.prepare("SELECT * FROM users WHERE username = ? OR email = ?"),
    byId: db.prepare("SELECT * FROM users WHERE id = ?"),
    all: db.prepare("SELECT * FROM users ORDER BY created_at, username"),
    insert: db.prepare(
      "INSERT INTO users (id, username, email, password_hash, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    setPassword: db.prepare("UPDATE users SET password_hash = ?, status = ?, updated_at = ? WHERE id = ?"),
    remove: db.prepare("DELETE FROM users WHERE id = ?"),
    insertRefresh: db.prepare(
      "INSERT INTO refresh_tokens (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
    ),
    findRefresh: db.prepare("SELECT user_id, expires_at FROM refresh_tokens WHERE token_hash = ?"),
    revokeRefresh: db.prepare("DELETE FROM refresh_tokens WHERE user_id = ?"),
    insertSession: db.prepare(
      "INSERT INTO challenge_sessions (session_hash, user_id, expires_at) VALUES (?, ?, ?)",
    ),
    findSession: db.prepare("SELECT user_id, expires_at FROM challenge_sessions WHERE session_hash = ?"),
    deleteSession: db.prepare("DELETE FROM challenge_sessions WHERE session_hash = ?"),
    revokeSessions: db.prepare("DELETE FROM challenge_sessions WHERE user_id = ?"),
  };

  const findUser = (name: string) => sql.byName.get(name.trim(), name.trim()) as UserRow | undefined;
  const requireUser = (name: string) => {
    const row = findUser(name);
    if (!row) throw new NotFoundError("user", name);
    return row;
  };

  const issueTokens = async (user: UserRow, refreshToken: string): Promise<TokenSet> => {
    const iat = nowSeconds();
    const exp = iat + options.accessTokenTtlSeconds;
    const header = { alg: "ES256", kid: key.kid, typ: "JWT" };
    const accessToken = await new SignJWT({
      client_id: clientId,
      token_use: "access",
      username: user.username,
      scope: "retouch/api",
      auth_time: iat,
    })
      .setProtectedHeader(header)
      .setSubject(user.id)
      .setIssuer(issuer)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(key.privateKey);
    const idToken = await new SignJWT({
      token_use: "id",
      "cognito:username": user.username,
      ...(user.email ? { email: user.email } : {}),
      auth_time: iat,
    })
      .setProtectedHeader(header)
      .setSubject(user.id)
      .setIssuer(issuer)
      .setAudience(clientId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key.privateKey);
    return {
      accessToken,
      idToken,
      refreshToken,
      expiresIn: options.accessTokenTtlSeconds,
      tokenType: "Bearer",
    };
  };

  const signInTokens = (user: UserRow) => {
    const refreshToken = opaqueToken();
    sql.insertRefresh.run(sha256(refreshToken), user.id, nowSeconds() + options.refreshTokenTtlSeconds);
    return issueTokens(user, refreshToken);
  };

  const setTemporaryPassword = async (user: UserRow, given: string | undefined) => {
    const temporaryPassword = given ?? generateTemporaryPassword();
    assertPolicy(temporaryPassword, "The temporary password");
    sql.setPassword.run(
      await hashPassword(temporaryPassword),
      "FORCE_CHANGE_PASSWORD",
      new Date().toISOString(),
      user.id,
    );
    sql.revokeRefresh.run(user.id);
    sql.revokeSessions.run(user.id);
    return temporaryPassword;
  };

  return {
    async jwks() {
      return { keys: [key.publicJwk] };
    },

    async verifyAccessToken(token) {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keySet, {
          algorithms: ["ES256"],
          issuer,
          clockTolerance: 5,
          currentDate: new Date(nowMs()),
        }));
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired)
          throw new UnauthorizedError("The access token has expired");
        throw new UnauthorizedError("Invalid access token");
      }
      if (
        payload.token_use !== "access" ||
        payload.client_id !== clientId ||
        typeof payload.sub !== "string"
      ) {
        throw new UnauthorizedError("Invalid access token");
      }
      const user = sql.byId.get(payload.sub) as UserRow | undefined;
      if (!user) throw new UnauthorizedError("Invalid access token");
      return { userId: user.id, username: user.username };
    },

    async signIn(username, password): Promise<SignInResult> {
      const user = findUser(username);
      const throttleKey = (user?.username ?? username.trim()).toLowerCase();
      throttle.assertAllowed(throttleKey);
      const ok = await verifyPassword(password, user?.password_hash ?? (await DUMMY_HASH_PROMISE));
      if (!user || !ok) {
        throttle.recordFailure(throttleKey);
        throw new UnauthorizedError(INCORRECT);
      }
      throttle.recordSuccess(throttleKey);
      if (user.status === "FORCE_CHANGE_PASSWORD") {
        const session = opaqueToken();
        sql.insertSession.run(sha256(session), user.id, nowSeconds() + CHALLENGE_SECONDS);
        return { kind: "challenge", challenge: "NEW_PASSWORD_REQUIRED", session, username: user.username };
      }
      return { kind: "tokens", tokens: await signInTokens(user) };
    },

    async completeNewPassword(username, session, newPassword) {
      const expired = new UnauthorizedError("Your sign-in session has expired; sign in again");
      const user = findUser(username);
      const row = sql.findSession.get(sha256(session)) as { user_id: string; expires_at: number } | undefined;
      if (!user || !row || row.user_id !== user.id || row.expires_at < nowSeconds()) throw expired;
      assertPolicy(newPassword, "The new password");
      if (await verifyPassword(newPassword, user.password_hash)) {
        throw new ValidationError("The new password must differ from the temporary password");
      }
      sql.deleteSession.run(sha256(session));
      sql.setPassword.run(await hashPassword(newPassword), "CONFIRMED", new Date().toISOString(), user.id);
      return signInTokens({ ...user, status: "CONFIRMED" });
    },

    async refresh(refreshToken) {
      const row = sql.findRefresh.get(sha256(refreshToken)) as
        { user_id: string; expires_at: number } | undefined;
      const user = row && (sql.byId.get(row.user_id) as UserRow | undefined);
      if (!row || !user || row.expires_at < nowSeconds()) {
        throw new UnauthorizedError("The refresh token is invalid or has expired; sign in again");
      }
      return issueTokens(user, refreshToken);
    },

    async createUser(input) {
      const username = UsernameSchema.safeParse(input.username);
      if (!username.success)
        throw new ValidationError(`Invalid username: ${username.error.issues[0]?.message}`);
      const email = input.email ? z.email().safeParse(input.email.trim()) : null;
      if (email && !email.success) throw new ValidationError(`Invalid email address '${input.email}'`);
      const temporaryPassword = input.temporaryPassword ?? generateTemporaryPassword();
      assertPolicy(temporaryPassword, "The temporary password");
      if (findUser(username.data) || (email?.data && findUser(email.data))) {
        throw new ConflictError(
          `A user '${username.data}'${email?.data ? ` or with email ${email.data}` : ""} already exists`,
        );
      }
      const now = new Date().toISOString();
      const row: UserRow = {
        id: `usr_${randomUUID().replaceAll("-", "")}`,
        username: username.data,
        email: email?.data ?? null,
        password_hash: await hashPassword(temporaryPassword),
        status: "FORCE_CHANGE_PASSWORD",
        created_at: now,
      };
      sql.insert.run(row.id, row.username, row.email, row.password_hash, row.status, now, now);
      return { user: toUser(row), temporaryPassword };
    },

    async listUsers() {
      return (sql.all.all() as UserRow[]).map(toUser);
    },

    async getUser(username) {
      const row = findUser(username);
      return row ? toUser(row) : null;
    },

    async deleteUser(username) {
      sql.remove.run(requireUser(username).id);
    },

    async resetPassword(username, temporaryPassword) {
      return { temporaryPassword: await setTemporaryPassword(requireUser(username), temporaryPassword) };
    },
  };
}
