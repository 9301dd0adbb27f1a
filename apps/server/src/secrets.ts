import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Reads a random secret from `path`, creating it (mode 0600) on first use, so signed URLs stay
 * valid across restarts and the secret never appears in configuration or logs.
 *
 * @example
 * ```ts
 * const secret = loadOrCreateSecret(".retouch-data/secrets/blob-signing.key");
 * ```
 */
export function loadOrCreateSecret(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  try {
    writeFileSync(path, secret, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(path);
    throw error;
  }
}
