import { TooManyRequestsError } from "@retouch/core";
import type { SqliteDatabase } from "../../sqlite/database";

/** Longest lockout, however many times a name has been locked. */
const MAX_LOCKOUT_SECONDS = 15 * 60;

/**
 * Counts failed sign-ins per name (in SQLite, so a restart resets nothing). After `maxFailures`
 * failures in a row the name is locked for `lockoutSeconds`, doubling with each lockout.
 */
export class LoginThrottle {
  private readonly get;
  private readonly put;
  private readonly clear;

  constructor(
    db: SqliteDatabase,
    private readonly maxFailures: number,
    private readonly lockoutSeconds: number,
    private readonly nowSeconds: () => number,
  ) {
    this.get = db.prepare("SELECT failures, lockouts, locked_until FROM login_throttle WHERE username = ?");
    this.put = db.prepare(
      "INSERT OR REPLACE INTO login_throttle (username, failures, lockouts, locked_until) VALUES (?, ?, ?, ?)",
    );
    this.clear = db.prepare("DELETE FROM login_throttle WHERE username = ?");
  }

  private row(name: string) {
    return (
      (this.get.get(name) as { failures: number; lockouts: number; locked_until: number } | undefined) ?? {
        failures: 0,
        lockouts: 0,
        locked_until: 0,
      }
    );
  }

  /** Throws 429 while `name` is locked. */
  assertAllowed(name: string): void {
    const wait = this.row(name).locked_until - this.nowSeconds();
    if (wait > 0) {
      throw new TooManyRequestsError(`Too many failed sign-in attempts; try again in ${wait} seconds`, wait);
    }
  }

  recordFailure(name: string): void {
    const row = this.row(name);
    const failures = row.failures + 1;
    if (failures < this.maxFailures) {
      this.put.run(name, failures, row.lockouts, row.locked_until);
      return;
    }
    const lockouts = row.lockouts + 1;
    const seconds = Math.min(MAX_LOCKOUT_SECONDS, this.lockoutSeconds * 2 ** (lockouts - 1));
    this.put.run(name, 0, lockouts, this.nowSeconds() + seconds);
  }

  recordSuccess(name: string): void {
    this.clear.run(name);
  }
}
