import { CognitoJwtVerifier, JwtVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";

/** Reads a JWKS with the global `fetch`, which (unlike aws-jwt-verify's fetcher) allows http. */
async function fetchJwks(uri: string): Promise<ArrayBuffer> {
  const response = await fetch(uri, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`JWKS ${uri} answered ${response.status}`);
  return response.arrayBuffer();
}

/**
 * The verifier of a pool's access tokens (signature, issuer, expiry, `token_use` = access and
 * `client_id`). On AWS it is aws-jwt-verify's `CognitoJwtVerifier` for the pool, whose issuer is
 * `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`; with `issuer` (cognito-local, which
 * serves its keys over http at its own issuer) the same checks run through `JwtVerifier`.
 *
 * @example
 * ```ts
 * const verifier = createAccessTokenVerifier({ userPoolId: "eu-west-1_AbCdEf123", clientId: "4l5k6j7h" });
 * const claims = await verifier.verify(accessToken);
 * ```
 */
export function createAccessTokenVerifier(options: {
  userPoolId: string;
  clientId: string;
  issuer?: string;
}) {
  const { userPoolId, clientId, issuer } = options;
  if (!issuer) return CognitoJwtVerifier.create({ userPoolId, tokenUse: "access", clientId });
  return JwtVerifier.create(
    {
      issuer,
      audience: null,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== "access") throw new Error("not an access token");
        if (payload.client_id !== clientId) throw new Error("not this client");
      },
    },
    // aws-jwt-verify's own fetcher speaks https only; cognito-local serves http.
    { jwksCache: new SimpleJwksCache({ fetcher: { fetch: fetchJwks } }) },
  );
}
