import type { RuntimeConfig } from "../config";
import type { AuthProvider } from "./auth-provider";
import { LocalAuthProvider } from "./local-auth-provider";

/** Thrown for a deployment whose identity provider this build cannot talk to yet. */
export class UnsupportedAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedAuthError";
  }
}

/**
 * The `AuthProvider` for the identity provider named in `config.js`.
 *
 * The Cognito form (`{userPoolId, userPoolClientId, region, invokeUrl}`) needs a
 * `CognitoAuthProvider` implementing `AuthProvider` with Cognito's USER_PASSWORD_AUTH /
 * NEW_PASSWORD_REQUIRED / REFRESH_TOKEN_AUTH flows; that is a separate piece of work, so this
 * build says so plainly instead of pretending.
 */
export function createAuthProvider(config: RuntimeConfig): AuthProvider {
  if (config.auth === "local") return new LocalAuthProvider(config.invokeUrl);
  throw new UnsupportedAuthError(
    "Cognito sign-in is not available in this build yet. This deployment's config.js names a Cognito user pool, " +
      "but this version of the Retouch web editor can only sign in against a local Retouch server.",
  );
}
