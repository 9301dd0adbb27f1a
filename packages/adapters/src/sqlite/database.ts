import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) a SQLite database in WAL mode with foreign keys on and a busy
 * timeout, so the server and a CLI command can use the same file at once.
 *
 * @example
 * ```ts
 * const db = openSqlite(".retouch-data/retouch.db"); // or ":memory:" in tests
 * ```
 */
export function openSqlite(path: string): SqliteDatabase {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  return db;
}

/**
 * Applies the not-yet-applied `migrations` of one component, each in its own transaction.
 * Versions are positions in the array, so migrations are only ever appended.
 *
 * @example
 * ```ts
 * migrate(db, "metadata", ["CREATE TABLE images (...)", "ALTER TABLE images ADD COLUMN ..."]);
 * ```
 */
export function migrate(db: SqliteDatabase, component: string, migrations: readonly string[]): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (component, version))",
  );
  const row = db
    .prepare("SELECT MAX(version) AS version FROM schema_migrations WHERE component = ?")
    .get(component) as { version: number | null };
  const applied = row.version ?? 0;
  const record = db.prepare(
    "INSERT INTO schema_migrations (component, version, applied_at) VALUES (?, ?, ?)",
  );
  migrations.slice(applied).forEach((sql, index) => {
    db.transaction(() => {
      db.exec(sql);
      record.run(component, applied + index + 1, new Date().toISOString());
    })();
  });
}
