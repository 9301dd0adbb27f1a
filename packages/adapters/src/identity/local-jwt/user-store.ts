import { ConflictError, type User } from "@retouch/core";
import type { SqliteDatabase } from "../../sqlite/database";

/** A `users` row. */
export interface UserRow {
  id: string;
  username: string;
  email: string | null;
  password_hash: string;
  status: User["status"];
  created_at: string;
  updated_at: string;
  /** Access tokens issued (`iat`, seconds) before this are refused. */
  tokens_valid_after: number;
}

/**
 * The user as the port shows it: never the hash or any other secret.
 *
 * @example
 * ```ts
 * return rows.map(toUser);
 * ```
 */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    status: row.status,
    createdAt: row.created_at,
  };
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Error && "code" in error && String(error.code).startsWith("SQLITE_CONSTRAINT");

/**
 * SQL for users, refresh tokens and challenge sessions of the local identity. Names compare
 * case-insensitively (the columns are `COLLATE NOCASE`), as Cognito's do; secrets are passed
 * in already hashed.
 *
 * @example
 * ```ts
 * const store = createUserStore(db);
 * const row = store.find("Ana"); // by username or email
 * ```
 */
export function createUserStore(db: SqliteDatabase) {
  const sql = {
    byName: db.prepare(
      "SELECT * FROM users WHERE username = :name OR email = :name ORDER BY username = :name DESC LIMIT 1",
    ),
    byId: db.prepare("SELECT * FROM users WHERE id = ?"),
    all: db.prepare("SELECT * FROM users ORDER BY created_at, username"),
    insert: db.prepare(
      "INSERT INTO users (id, username, email, password_hash, status, created_at, updated_at, tokens_valid_after) VALUES (:id, :username, :email, :password_hash, :status, :created_at, :updated_at, :tokens_valid_after)",
    ),
    setPassword: db.prepare(
      "UPDATE users SET password_hash = ?, status = ?, updated_at = ?, tokens_valid_after = MAX(tokens_valid_after, ?) WHERE id = ?",
    ),
    remove: db.prepare("DELETE FROM users WHERE id = ?"),
    insertRefresh: db.prepare(
      "INSERT INTO refresh_tokens (token_hash, user_id, expires_at, auth_time) VALUES (?, ?, ?, ?)",
    ),
    findRefresh: db.prepare("SELECT user_id, expires_at, auth_time FROM refresh_tokens WHERE token_hash = ?"),
    pruneRefresh: db.prepare("DELETE FROM refresh_tokens WHERE expires_at < ?"),
    revokeRefresh: db.prepare("DELETE FROM refresh_tokens WHERE user_id = ?"),
    insertSession: db.prepare(
      "INSERT INTO challenge_sessions (session_hash, user_id, expires_at_ms) VALUES (?, ?, ?)",
    ),
    findSession: db.prepare("SELECT user_id, expires_at_ms FROM challenge_sessions WHERE session_hash = ?"),
    deleteSession: db.prepare("DELETE FROM challenge_sessions WHERE session_hash = ?"),
    pruneSessions: db.prepare("DELETE FROM challenge_sessions WHERE expires_at_ms < ?"),
    revokeSessions: db.prepare("DELETE FROM challenge_sessions WHERE user_id = ?"),
  };

  return {
    /** The user whose username or email is `name` (username wins). */
    find(name: string): UserRow | undefined {
      return sql.byName.get({ name: name.trim() }) as UserRow | undefined;
    },
    findById(id: string): UserRow | undefined {
      return sql.byId.get(id) as UserRow | undefined;
    },
    list(): UserRow[] {
      return sql.all.all() as UserRow[];
    },
    /** Inserts `row`; a username or email already taken (even by a concurrent insert) is a 409. */
    insert(row: UserRow): void {
      try {
        sql.insert.run(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError("User account already exists");
        throw error;
      }
    },
    /**
     * Sets the password hash and status; with `revoke`, also drops the user's refresh tokens and
     * challenge sessions and refuses access tokens issued before `nowSeconds`.
     */
    setPassword(
      userId: string,
      input: { passwordHash: string; status: User["status"]; updatedAt: string },
      revoke?: { nowSeconds: number },
    ): void {
      db.transaction(() => {
        sql.setPassword.run(
          input.passwordHash,
          input.status,
          input.updatedAt,
          revoke?.nowSeconds ?? 0,
          userId,
        );
        if (revoke) {
          sql.revokeRefresh.run(userId);
          sql.revokeSessions.run(userId);
        }
      })();
    },
    /** Deletes the user with their refresh tokens and sessions. */
    remove(userId: string): void {
      db.transaction(() => {
        sql.revokeRefresh.run(userId);
        sql.revokeSessions.run(userId);
        sql.remove.run(userId);
      })();
    },

    /** Stores a refresh token (seconds); expired ones are pruned on the way. */
    addRefreshToken(
      tokenHash: string,
      input: { userId: string; expiresAt: number; authTime: number; nowSeconds: number },
    ): void {
      sql.pruneRefresh.run(input.nowSeconds);
      sql.insertRefresh.run(tokenHash, input.userId, input.expiresAt, input.authTime);
    },
    findRefreshToken(tokenHash: string) {
      return sql.findRefresh.get(tokenHash) as
        { user_id: string; expires_at: number; auth_time: number } | undefined;
    },

    /** Stores a challenge session (milliseconds); expired ones are pruned on the way. */
    addSession(sessionHash: string, userId: string, expiresAtMs: number, nowMs: number): void {
      sql.pruneSessions.run(nowMs);
      sql.insertSession.run(sessionHash, userId, expiresAtMs);
    },
    findSession(sessionHash: string) {
      return sql.findSession.get(sessionHash) as { user_id: string; expires_at_ms: number } | undefined;
    },
    /** Removes a session; false when it was already gone (used by someone else first). */
    consumeSession(sessionHash: string): boolean {
      return sql.deleteSession.run(sessionHash).changes > 0;
    },
  };
}

/** What `createUserStore` returns. */
export type UserStore = ReturnType<typeof createUserStore>;
