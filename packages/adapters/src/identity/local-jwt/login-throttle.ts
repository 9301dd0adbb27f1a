import { TooManyRequestsError } from "@retouch/core";
import type { SqliteDatabase } from "../../sqlite/database";

/** Longest lockout, however many times a name has been locked (unless the base is longer). */
const MAX_LOCKOUT_SECONDS = 15 * 60;
/** A name with no attempt for this long starts afresh (and its row is pruned). */
const FORGET_AFTER_MS = 24 * 3600_000;

interface ThrottleRow {
  failures: number;
  lockouts: number;
  locked_until_ms: number;
  updated_at_ms: number;
}

export interface LoginThrottleOptions {
  maxFailures: number;
  lockoutSeconds: number;
  /** Milliseconds clock. */
  now: () => number;
}

/**
 * Counts failed sign-ins per name (lower-cased, in SQLite so a restart resets nothing). After
 * `maxFailures` failures in a row the name is locked for `lockoutSeconds`, doubling with each
 * further lockout up to 15 minutes; a success clears it.
 *
 * An attempt is counted *before* its password is checked (and the count undone on success),
 * so a burst of concurrent guesses cannot all slip past the check while scrypt runs.
 *
 * @example
 * ```ts
 * const throttle = new LoginThrottle(db, { maxFailures: 5, lockoutSeconds: 60, now: Date.now });
 * throttle.beginAttempt("ana"); // throws TooManyRequestsError while locked
 * if (ok) throttle.recordSuccess("ana");
 * ```
 */
export class LoginThrottle {
  private readonly select;
  private readonly upsert;
  private readonly remove;
  private readonly prune;
  private readonly db: SqliteDatabase;
  private readonly options: LoginThrottleOptions;

  constructor(db: SqliteDatabase, options: LoginThrottleOptions) {
    this.db = db;
    this.options = options;
    this.select = db.prepare(
      "SELECT failures, lockouts, locked_until_ms, updated_at_ms FROM login_throttle WHERE name = ?",
    );
    this.upsert = db.prepare(
      "INSERT OR REPLACE INTO login_throttle (name, failures, lockouts, locked_until_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?)",
    );
    this.remove = db.prepare("DELETE FROM login_throttle WHERE name = ?");
    this.prune = db.prepare("DELETE FROM login_throttle WHERE updated_at_ms < ?");
  }

  /** The throttle key of a sign-in name. */
  static keyOf(name: string): string {
    return name.trim().toLowerCase();
  }

  /**
   * Counts one attempt for `name`, or throws `TooManyRequestsError` (with the whole seconds
   * left) while it is locked. Call `recordSuccess` when the password turns out right.
   */
  beginAttempt(name: string): void {
    const key = LoginThrottle.keyOf(name);
    this.db
      .transaction(() => {
        const now = this.options.now();
        this.prune.run(now - FORGET_AFTER_MS);
        const row = (this.select.get(key) as ThrottleRow | undefined) ?? {
          failures: 0,
          lockouts: 0,
          locked_until_ms: 0,
          updated_at_ms: now,
        };
        const waitMs = row.locked_until_ms - now;
        if (waitMs > 0) {
          const seconds = Math.ceil(waitMs / 1000);
          throw new TooManyRequestsError(
            `Too many failed sign-in attempts; try again in ${seconds} seconds`,
            seconds,
          );
        }
        const failures = row.failures + 1;
        if (failures < this.options.maxFailures) {
          this.upsert.run(key, failures, row.lockouts, row.locked_until_ms, now);
          return;
        }
        const lockouts = row.lockouts + 1;
        const base = this.options.lockoutSeconds;
        const seconds = Math.min(Math.max(MAX_LOCKOUT_SECONDS, base), base * 2 ** Math.min(lockouts - 1, 30));
        this.upsert.run(key, 0, lockouts, now + seconds * 1000, now);
      })
      .immediate();
  }

  /** Forgets every failure and lockout of `name`. */
  recordSuccess(name: string): void {
    this.remove.run(LoginThrottle.keyOf(name));
  }
}
