import { randomUUID } from "node:crypto";
import { SignJWT, createLocalJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { UnauthorizedError } from "@retouch/core";
import type { SigningKeys } from "./signing-keys";

/** The only algorithm issued and accepted. */
const ALGORITHM = "ES256";
/** Leeway for clock skew when checking `exp`/`iat`. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** The scope every access token carries (Cognito's resource-server scope format). */
export const ACCESS_SCOPE = "retouch/api";

export interface TokenSubject {
  id: string;
  username: string;
  email: string | null;
}

export interface JwtTokensOptions {
  keys: SigningKeys;
  issuer: string;
  clientId: string;
  accessTokenTtlSeconds: number;
  /** Milliseconds clock. */
  now: () => number;
}

/** The verified claims of an access token that the identity still has to check against users. */
export interface AccessClaims {
  sub: string;
  iat: number;
}

/**
 * Signs and verifies access and id tokens shaped like Cognito's, with ES256 only.
 *
 * Access token: `sub`, `iss`, `client_id`, `token_use: "access"`, `username`, `scope`, `iat`,
 * `exp`, `jti`, `auth_time`. Id token: `sub`, `iss`, `aud`, `token_use: "id"`,
 * `cognito:username`, `email` (when set), `iat`, `exp`, `jti`, `auth_time`.
 *
 * @example
 * ```ts
 * const jwt = createJwtTokens({ keys, issuer, clientId: "retouch-web", accessTokenTtlSeconds: 3600, now: Date.now });
 * const { accessToken, idToken } = await jwt.sign(user, authTime);
 * const { sub } = await jwt.verifyAccess(accessToken);
 * ```
 */
export function createJwtTokens(options: JwtTokensOptions) {
  const { keys, issuer, clientId } = options;
  const keySet = createLocalJWKSet({ keys: keys.publicJwks });
  const header = { alg: ALGORITHM, kid: keys.kid, typ: "JWT" };

  return {
    /** Signs a fresh access + id token pair; `authTime` is when the user last gave a password (s). */
    async sign(user: TokenSubject, authTime: number): Promise<{ accessToken: string; idToken: string }> {
      const iat = Math.floor(options.now() / 1000);
      const exp = iat + options.accessTokenTtlSeconds;
      const accessToken = await new SignJWT({
        client_id: clientId,
        token_use: "access",
        username: user.username,
        scope: ACCESS_SCOPE,
        auth_time: authTime,
      })
        .setProtectedHeader(header)
        .setSubject(user.id)
        .setIssuer(issuer)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setJti(randomUUID())
        .sign(keys.privateKey);
      const idToken = await new SignJWT({
        token_use: "id",
        "cognito:username": user.username,
        ...(user.email ? { email: user.email } : {}),
        auth_time: authTime,
      })
        .setProtectedHeader(header)
        .setSubject(user.id)
        .setIssuer(issuer)
        .setAudience(clientId)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setJti(randomUUID())
        .sign(keys.privateKey);
      return { accessToken, idToken };
    },

    /**
     * Checks signature (ES256, a known `kid`), issuer, expiry, `token_use` and `client_id`.
     * Throws `UnauthorizedError` with a short reason that never echoes the token.
     */
    async verifyAccess(token: string): Promise<AccessClaims> {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keySet, {
          algorithms: [ALGORITHM],
          issuer,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(options.now()),
          requiredClaims: ["sub", "iat", "exp"],
        }));
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) {
          throw new UnauthorizedError("The access token has expired");
        }
        throw new UnauthorizedError("Invalid access token");
      }
      const { sub, iat } = payload;
      if (
        payload.token_use !== "access" ||
        payload.client_id !== clientId ||
        typeof sub !== "string" ||
        typeof iat !== "number"
      ) {
        throw new UnauthorizedError("Invalid access token");
      }
      return { sub, iat };
    },
  };
}

/** What `createJwtTokens` returns. */
export type JwtTokens = ReturnType<typeof createJwtTokens>;
