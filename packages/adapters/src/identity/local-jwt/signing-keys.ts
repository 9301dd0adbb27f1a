import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { randomUUID } from "node:crypto";
import type { SqliteDatabase } from "../../sqlite/database";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * The ES256 key pair that signs tokens, kept in SQLite so tokens stay valid across restarts
 * (generated on first use).
 */
export async function loadSigningKey(db: SqliteDatabase): Promise<SigningKey> {
  const row = db
    .prepare("SELECT kid, private_jwk FROM signing_keys ORDER BY created_at DESC LIMIT 1")
    .get() as { kid: string; private_jwk: string } | undefined;
  if (row) return fromPrivateJwk(row.kid, JSON.parse(row.private_jwk) as JWK);
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = randomUUID();
  const privateJwk = await exportJWK(privateKey);
  const inserted = db
    .prepare("INSERT OR IGNORE INTO signing_keys (kid, private_jwk, created_at) VALUES (?, ?, ?)")
    .run(kid, JSON.stringify(privateJwk), new Date().toISOString());
  if (inserted.changes === 0) return loadSigningKey(db);
  return fromPrivateJwk(kid, privateJwk);
}

async function fromPrivateJwk(kid: string, privateJwk: JWK): Promise<SigningKey> {
  const { d: _d, ...publicPart } = privateJwk;
  return {
    kid,
    privateKey: (await importJWK({ ...privateJwk, alg: "ES256" }, "ES256")) as CryptoKey,
    publicJwk: { ...publicPart, kid, alg: "ES256", use: "sig" },
  };
}
