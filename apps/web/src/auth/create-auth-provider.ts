import type { RuntimeConfig } from "../config";
import type { AuthProvider } from "./auth-provider";
import { CognitoAuthProvider } from "./cognito-auth-provider";
import { LocalAuthProvider } from "./local-auth-provider";

/**
 * Thrown for a deployment whose identity provider this build cannot talk to. Every form
 * `parseConfig` accepts is supported today; the App still shows it as a configuration problem.
 */
export class UnsupportedAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedAuthError";
  }
}

/**
 * The `AuthProvider` for the identity provider named in `config.js`: the local server's
 * `/auth/*` routes for `{auth: "local"}`, the Cognito user pool for the Cognito form
 * (`{userPoolId, userPoolClientId, region, invokeUrl, authFlow?, cognitoEndpoint?}`).
 *
 * @example
 * ```ts
 * const config = parseConfig(window.config);
 * if (config.ok) {
 *   const auth = createAuthProvider(config.config);
 *   await auth.signIn("ana", password);
 * }
 * ```
 */
export function createAuthProvider(config: RuntimeConfig): AuthProvider {
  if (config.auth === "local") return new LocalAuthProvider(config.invokeUrl);
  return new CognitoAuthProvider({
    userPoolId: config.userPoolId,
    userPoolClientId: config.userPoolClientId,
    region: config.region,
    authFlow: config.authFlow,
    ...(config.cognitoEndpoint ? { cognitoEndpoint: config.cognitoEndpoint } : {}),
  });
}
