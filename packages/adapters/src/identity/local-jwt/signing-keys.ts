import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import type { SqliteDatabase } from "../../sqlite/database";

/** The key that signs new tokens, and every public key tokens may be verified with. */
export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  /** Public halves of all stored keys (what `/.well-known/jwks.json` publishes). */
  publicJwks: JWK[];
}

interface KeyRow {
  kid: string;
  private_jwk: string;
}

/**
 * Loads the ES256 signing keys kept in SQLite (table `signing_keys`), generating the first
 * one when there is none, so tokens stay valid across restarts. The check-and-insert runs in
 * an immediate transaction: two processes starting on a new database (server and CLI) end up
 * with the same key. The newest key signs; all of them verify.
 *
 * @example
 * ```ts
 * const keys = await loadSigningKeys(db);
 * await new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: keys.kid }).sign(keys.privateKey);
 * ```
 */
export async function loadSigningKeys(db: SqliteDatabase): Promise<SigningKeys> {
  const select = db.prepare("SELECT kid, private_jwk FROM signing_keys ORDER BY created_at DESC, kid DESC");
  let rows = select.all() as KeyRow[];
  if (rows.length === 0) {
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const candidate = JSON.stringify(await exportJWK(privateKey));
    const insert = db.prepare("INSERT INTO signing_keys (kid, private_jwk, created_at) VALUES (?, ?, ?)");
    db.transaction(() => {
      if (select.get() === undefined) insert.run(randomUUID(), candidate, new Date().toISOString());
    }).immediate();
    rows = select.all() as KeyRow[];
  }
  const [active] = rows;
  if (!active) throw new Error("no signing key could be stored");
  const activeJwk = JSON.parse(active.private_jwk) as JWK;
  return {
    kid: active.kid,
    privateKey: (await importJWK({ ...activeJwk, alg: "ES256" }, "ES256")) as CryptoKey,
    publicJwks: rows.map((row) => publicJwk(row.kid, JSON.parse(row.private_jwk) as JWK)),
  };
}

/** Only the public members of an EC key: never `d`, whatever else the stored JWK holds. */
function publicJwk(kid: string, jwk: JWK): JWK {
  const { kty, crv, x, y } = jwk;
  return { kty, crv, x, y, kid, alg: "ES256", use: "sig" } as JWK;
}
