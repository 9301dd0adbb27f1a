import type { Jwk } from "aws-jwt-verify/jwk";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createAccessTokenVerifier } from "../src/identity/cognito/access-token-verifier";

/**
 * The verifier exactly as it runs on AWS (`CognitoJwtVerifier` for the pool, no issuer override),
 * given the pool's keys up front: no local server serves a JWKS at Cognito's https issuer, so the
 * test signs tokens with its own RSA key and caches that key set in the verifier — every check
 * after the key lookup (signature, issuer, token use, client, expiry) is aws-jwt-verify's own.
 */
const USER_POOL_ID = "eu-west-1_AbCdEf123";
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${USER_POOL_ID}`;
const CLIENT_ID = "4l5k6j7h8g9f0d1s2a3";

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

let sign: (
  claims: Record<string, unknown>,
  options?: { expiresIn?: string; key?: SigningKey },
) => Promise<string>;
let jwk: Jwk;
let otherKey: SigningKey;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  jwk = { ...(await exportJWK(publicKey)), kid: "pool-key", alg: "RS256", use: "sig" } as Jwk;
  otherKey = (await generateKeyPair("RS256")).privateKey;
  sign = (claims, options = {}) =>
    new SignJWT({ token_use: "access", client_id: CLIENT_ID, username: "ana", ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "pool-key" })
      .setIssuer(String(claims.iss ?? ISSUER))
      .setSubject("sub-ana")
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? "1h")
      .sign(options.key ?? privateKey);
});

function productionVerifier() {
  const verifier = createAccessTokenVerifier({ userPoolId: USER_POOL_ID, clientId: CLIENT_ID });
  verifier.cacheJwks({ keys: [jwk] });
  return verifier;
}

describe("Cognito access-token verifier, production configuration", () => {
  it("accepts the pool's access token for this client", async () => {
    // Prepare
    const verifier = productionVerifier();
    const token = await sign({});
    // Act
    const claims = await verifier.verify(token);
    // Assess
    expect(claims).toMatchObject({ sub: "sub-ana", username: "ana", client_id: CLIENT_ID, iss: ISSUER });
  });

  it.each([
    ["an ID token", { token_use: "id" }, {}, "CognitoJwtInvalidTokenUseError"],
    ["another app client's token", { client_id: "someone-else" }, {}, "CognitoJwtInvalidClientIdError"],
    [
      "another pool's token",
      { iss: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other" },
      {},
      "ParameterValidationError: issuer not configured",
    ],
    ["an expired token", {}, { expiresIn: "-1m" }, "JwtExpiredError"],
    [
      "a token signed with a key the pool does not have",
      { signedElsewhere: true },
      {},
      "JwtInvalidSignatureError",
    ],
  ])("refuses %s", async (_, claims, options, reason) => {
    // Prepare
    const verifier = productionVerifier();
    const { signedElsewhere, ...rest } = claims as Record<string, unknown>;
    const token = await sign(rest, { ...options, ...(signedElsewhere ? { key: otherKey } : {}) });
    // Act
    const outcome = await verifier.verify(token).then(
      () => "accepted",
      (error: unknown) => `${(error as Error).constructor.name}: ${(error as Error).message}`,
    );
    // Assess
    expect(outcome.slice(0, reason.length)).toBe(reason);
  });
});
