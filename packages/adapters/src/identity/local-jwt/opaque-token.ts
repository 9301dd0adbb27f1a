import { createHash, randomBytes } from "node:crypto";

/**
 * A new opaque secret (refresh token, challenge session): 32 random bytes, base64url.
 *
 * @example
 * ```ts
 * const refreshToken = newOpaqueToken(); // 43 characters
 * ```
 */
export function newOpaqueToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * What is stored instead of an opaque secret: its SHA-256 (hex). The secrets carry 256 bits of
 * randomness, so a fast hash is enough, and a leaked database holds nothing usable.
 *
 * @example
 * ```ts
 * db.prepare("SELECT user_id FROM refresh_tokens WHERE token_hash = ?").get(hashOpaqueToken(token));
 * ```
 */
export function hashOpaqueToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
