/** Tables of the local identity, applied with `migrate(db, "identity", …)`. */
export const IDENTITY_MIGRATIONS = [
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
];
