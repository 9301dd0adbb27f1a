/**
 * Tables of the local identity, applied with `migrate(db, "identity", IDENTITY_MIGRATIONS)`.
 * Versions are positions in the array: only ever append.
 *
 * 1. users, signing keys, refresh tokens, challenge sessions, login throttle.
 * 2. millisecond expiries for challenges and the throttle (both short-lived, so recreated),
 *    `auth_time` kept with each refresh token, `tokens_valid_after` on users (a password reset
 *    cuts off access tokens issued before it), indexes for pruning.
 *
 * @example
 * ```ts
 * migrate(db, "identity", IDENTITY_MIGRATIONS);
 * ```
 */
export const IDENTITY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id TEXT PRIMARY KEY,
     username TEXT NOT NULL UNIQUE COLLATE NOCASE,
     email TEXT UNIQUE COLLATE NOCASE,
     password_hash TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('FORCE_CHANGE_PASSWORD', 'CONFIRMED')),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE signing_keys (
     kid TEXT PRIMARY KEY,
     private_jwk TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE refresh_tokens (
     token_hash TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     expires_at INTEGER NOT NULL
   );
   CREATE TABLE challenge_sessions (
     session_hash TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     expires_at INTEGER NOT NULL
   );
   CREATE TABLE login_throttle (
     username TEXT PRIMARY KEY,
     failures INTEGER NOT NULL,
     lockouts INTEGER NOT NULL,
     locked_until INTEGER NOT NULL
   );`,
  `ALTER TABLE users ADD COLUMN tokens_valid_after INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE refresh_tokens ADD COLUMN auth_time INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
   CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);
   DROP TABLE challenge_sessions;
   CREATE TABLE challenge_sessions (
     session_hash TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     expires_at_ms INTEGER NOT NULL
   );
   CREATE INDEX challenge_sessions_user ON challenge_sessions (user_id);
   CREATE INDEX challenge_sessions_expiry ON challenge_sessions (expires_at_ms);
   DROP TABLE login_throttle;
   CREATE TABLE login_throttle (
     name TEXT PRIMARY KEY,
     failures INTEGER NOT NULL,
     lockouts INTEGER NOT NULL,
     locked_until_ms INTEGER NOT NULL,
     updated_at_ms INTEGER NOT NULL
   );
   CREATE INDEX login_throttle_updated ON login_throttle (updated_at_ms);`,
];
