import type {
  CognitoUser,
  CognitoUserPool,
  CognitoUserSession,
  ICognitoStorage,
} from "amazon-cognito-identity-js";
import type * as CognitoSdkModule from "amazon-cognito-identity-js";
import { ApiError } from "../api/http";
import type { Tokens } from "../api/types";
import type { CognitoAuthFlow } from "../config";
import type { AuthProvider, NewPasswordChallenge, SignInResult, SignedInUser } from "./auth-provider";
import { toApiError } from "./cognito-errors";
import { TokenSession, type SessionStorageLike } from "./token-session";
import { checkPassword, isPasswordValid } from "./password-policy";

/** Where the Cognito user pool is and how to sign in to it (the Cognito fields of `config.js`). */
export interface CognitoAuthOptions {
  userPoolId: string;
  userPoolClientId: string;
  region: string;
  /** Default `USER_SRP_AUTH`: the password never leaves the browser. */
  authFlow?: CognitoAuthFlow;
  /** Cognito's endpoint when it is not `https://cognito-idp.<region>.amazonaws.com/` (cognito-local). */
  cognitoEndpoint?: string;
}

/**
 * The claims of a JWT, unverified: the browser only reads its own tokens' lifetime and username;
 * the API verifies them.
 *
 * @example
 * ```ts
 * decodeJwtClaims(accessToken).username; // "ana"
 * ```
 */
export function decodeJwtClaims(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  if (!part) throw new Error("not a JWT");
  const base64 = part
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (!claims || typeof claims !== "object") throw new Error("not a JWT");
  return claims as Record<string, unknown>;
}

/** Seconds the access token lives (`exp - iat`), so expiry is counted on this browser's clock. */
function lifetimeSeconds(accessToken: string): number {
  const { exp, iat } = decodeJwtClaims(accessToken);
  if (typeof exp === "number" && typeof iat === "number" && exp > iat) return exp - iat;
  return 3600;
}

/** The pool's username in the token (`username` in access tokens, `cognito:username` in ID tokens). */
function usernameOf(accessToken: string, fallback: string): string {
  const claims = decodeJwtClaims(accessToken);
  const name = claims.username ?? claims["cognito:username"];
  return typeof name === "string" && name ? name : fallback;
}

/** The tab's `sessionStorage`, or memory where there is none (Node, a sandboxed frame). */
function browserSessionStorage(): SessionStorageLike {
  try {
    if (typeof window !== "undefined" && window.sessionStorage) return window.sessionStorage;
  } catch {
    // access denied (sandboxed frame, storage disabled)
  }
  return memoryStorage();
}

type CognitoSdk = typeof CognitoSdkModule;

let sdk: Promise<CognitoSdk> | null = null;

/**
 * amazon-cognito-identity-js, loaded on first sign-in: a deployment signing in locally never
 * downloads it. Its `buffer@4` reads Node's `global` when it loads, which browsers do not have.
 */
function loadCognitoSdk(): Promise<CognitoSdk> {
  const scope = globalThis as { global?: unknown };
  scope.global ??= globalThis;
  sdk ??= import("amazon-cognito-identity-js").catch((error: unknown) => {
    sdk = null;
    throw error;
  });
  return sdk;
}

/**
 * A throwaway storage for amazon-cognito-identity-js, which would otherwise leave every token in
 * `localStorage`; this provider keeps the session itself (see `CognitoAuthProvider`).
 */
function memoryStorage(): ICognitoStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  };
}

/**
 * Signs in against an Amazon Cognito user pool, straight from the browser: `USER_SRP_AUTH` by
 * default (amazon-cognito-identity-js does the SRP exchange; the password never leaves the
 * browser), or `USER_PASSWORD_AUTH` when `config.js` says so (cognito-local speaks only that).
 * Admin-created users signing in with their temporary password get the `NEW_PASSWORD_REQUIRED`
 * challenge, answered with `completeNewPassword`, exactly as with `LocalAuthProvider`, so the
 * same screens serve both.
 *
 * The API gets the **access token** (`getAccessToken`): the API's Cognito identity verifies access
 * tokens (`token_use: access`, this app client), and API Gateway's Cognito authorizer names the
 * `aws.cognito.signin.user.admin` scope, which makes it accept access tokens and refuse ID tokens.
 *
 * Tokens are refreshed with `REFRESH_TOKEN_AUTH` about a minute before the access token expires.
 * The session (tokens and refresh token) lives in `sessionStorage`, for the same reasons as
 * `LocalAuthProvider`'s: it survives a reload of the tab, not the closing of it. Signing out
 * forgets it and revokes the refresh token with Cognito (best effort).
 *
 * @example
 * ```ts
 * const auth = new CognitoAuthProvider({ userPoolId: "eu-west-1_AbC123", userPoolClientId: "4l5k6j", region: "eu-west-1" });
 * const result = await auth.signIn("ana", temporaryPassword);
 * if ("challenge" in result) await auth.completeNewPassword(result, "N3w-Passw0rd!");
 * fetch(`${invokeUrl}/engines`, { headers: { Authorization: `Bearer ${await auth.getAccessToken()}` } });
 * ```
 */
export class CognitoAuthProvider implements AuthProvider {
  private pool: CognitoUserPool | null = null;
  private readonly endpoint: string;
  private readonly authFlow: CognitoAuthFlow;
  private readonly session: TokenSession;
  /** The user object holding the challenge's state between `signIn` and `completeNewPassword`. */
  private challenged: { session: string; user: CognitoUser } | null = null;

  constructor(
    private readonly options: CognitoAuthOptions,
    storage: SessionStorageLike = browserSessionStorage(),
    now: () => number = Date.now,
  ) {
    this.endpoint = options.cognitoEndpoint ?? `https://cognito-idp.${options.region}.amazonaws.com/`;
    this.authFlow = options.authFlow ?? "USER_SRP_AUTH";
    this.session = new TokenSession(storage, `retouch.cognito.${options.userPoolClientId}.session`, now);
  }

  async signIn(username: string, password: string): Promise<SignInResult> {
    const { AuthenticationDetails } = await this.loadSdk();
    const user = await this.newUser(username);
    user.setAuthenticationFlowType(this.authFlow);
    const details = new AuthenticationDetails({ Username: username, Password: password });
    const outcome = await new Promise<
      { session: CognitoUserSession } | { challenge: true; requiredAttributes: string[] }
    >((resolve, reject) => {
      user.authenticateUser(details, {
        onSuccess: (session) => resolve({ session }),
        onFailure: (error: unknown) => reject(toApiError(error, "sign-in")),
        newPasswordRequired: (_attributes: unknown, requiredAttributes: unknown) =>
          resolve({
            challenge: true,
            requiredAttributes: Array.isArray(requiredAttributes) ? requiredAttributes.map(String) : [],
          }),
        mfaRequired: () => reject(unsupportedChallenge("SMS_MFA")),
        totpRequired: () => reject(unsupportedChallenge("SOFTWARE_TOKEN_MFA")),
        selectMFAType: () => reject(unsupportedChallenge("SELECT_MFA_TYPE")),
        mfaSetup: () => reject(unsupportedChallenge("MFA_SETUP")),
        customChallenge: () => reject(unsupportedChallenge("CUSTOM_CHALLENGE")),
      });
    });
    if ("session" in outcome) {
      const tokens = tokensOf(outcome.session);
      this.session.store(usernameOf(tokens.accessToken, user.getUsername()), tokens);
      return { tokens };
    }
    if (outcome.requiredAttributes.length > 0)
      throw new ApiError(
        403,
        "missing_attributes",
        `This account lacks required details (${outcome.requiredAttributes.join(", ")}). ` +
          "Ask your Retouch administrator to add them, then sign in again.",
      );
    // The library keeps Cognito's challenge session on the user object; SRP also renamed the user
    // to the pool's username (USER_ID_FOR_SRP) when an email was typed.
    const session = (user as unknown as { Session?: unknown }).Session;
    if (typeof session !== "string" || !session)
      throw new ApiError(500, "cognito_error", "Sign-in failed: Cognito sent a challenge without a session.");
    this.challenged = { session, user };
    return { challenge: "NEW_PASSWORD_REQUIRED", session, username: user.getUsername() };
  }

  async completeNewPassword(challenge: NewPasswordChallenge, newPassword: string): Promise<Tokens> {
    // Cognito's default policy (the CDK pool's too); checked here so every pool, cognito-local
    // included, answers a weak password the same way.
    if (!isPasswordValid(newPassword)) {
      const missing = checkPassword(newPassword)
        .filter((rule) => !rule.ok)
        .map((rule) => rule.label.toLowerCase());
      throw new ApiError(400, "invalid_password", `The new password needs: ${missing.join(", ")}.`);
    }
    const user =
      this.challenged?.session === challenge.session
        ? this.challenged.user
        : await this.newUser(challenge.username);
    (user as unknown as { Session: string }).Session = challenge.session;
    const session = await new Promise<CognitoUserSession>((resolve, reject) => {
      user.completeNewPasswordChallenge(
        newPassword,
        {},
        {
          onSuccess: (result) => resolve(result),
          onFailure: (error: unknown) => reject(toApiError(error, "new-password")),
          mfaRequired: () => reject(unsupportedChallenge("SMS_MFA")),
          customChallenge: () => reject(unsupportedChallenge("CUSTOM_CHALLENGE")),
        },
      );
    });
    this.challenged = null;
    const tokens = tokensOf(session);
    this.session.store(usernameOf(tokens.accessToken, challenge.username), tokens);
    return tokens;
  }

  refresh(): Promise<Tokens> {
    // One refresh at a time: concurrent callers share it.
    return this.session.refreshOnce(() => this.doRefresh());
  }

  private async doRefresh(): Promise<Tokens> {
    const session = this.session.current;
    if (!session) throw new ApiError(401, "unauthorized", "You are signed out. Sign in again.");
    let result: { AuthenticationResult?: { AccessToken?: string; IdToken?: string; RefreshToken?: string } };
    try {
      result = await this.call("InitiateAuth", {
        ClientId: this.options.userPoolClientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: session.refreshToken },
      });
    } catch (error) {
      const failure = toApiError(error, "refresh");
      if (failure.status === 400 || failure.status === 401) {
        this.signOut();
        throw new ApiError(401, "session_expired", "Your session has expired. Sign in again.");
      }
      throw failure;
    }
    const answer = result.AuthenticationResult;
    if (!answer?.AccessToken || !answer.IdToken) {
      this.signOut();
      throw new ApiError(401, "session_expired", "Your session has expired. Sign in again.");
    }
    const tokens: Tokens = {
      accessToken: answer.AccessToken,
      idToken: answer.IdToken,
      // Cognito keeps the refresh token unless rotation is on.
      refreshToken: answer.RefreshToken || session.refreshToken,
      expiresIn: lifetimeSeconds(answer.AccessToken),
      tokenType: "Bearer",
    };
    // Signed out while the refresh was in flight: do not sign back in.
    if (this.session.current !== session)
      throw new ApiError(401, "unauthorized", "You are signed out. Sign in again.");
    this.session.store(session.username, tokens);
    return tokens;
  }

  signOut(): void {
    this.challenged = null;
    const session = this.session.clear();
    if (!session) return;
    // Revoke the refresh token (and the tokens issued from it); the tab is signed out either way.
    this.call("RevokeToken", { ClientId: this.options.userPoolClientId, Token: session.refreshToken }).catch(
      () => undefined,
    );
  }

  getAccessToken(): Promise<string | null> {
    return this.session.accessToken(() => this.refresh());
  }

  currentUser(): SignedInUser | null {
    return this.session.currentUser();
  }

  subscribe(listener: () => void): () => void {
    return this.session.subscribe(listener);
  }

  private async loadSdk(): Promise<CognitoSdk> {
    try {
      return await loadCognitoSdk();
    } catch {
      throw new ApiError(
        0,
        "network_error",
        "Could not load the sign-in code. Check your connection and try again.",
      );
    }
  }

  private async newUser(username: string): Promise<CognitoUser> {
    const { CognitoUser, CognitoUserPool } = await this.loadSdk();
    this.pool ??= new CognitoUserPool({
      UserPoolId: this.options.userPoolId,
      ClientId: this.options.userPoolClientId,
      endpoint: this.endpoint,
      Storage: memoryStorage(),
      AdvancedSecurityDataCollectionFlag: false,
    });
    return new CognitoUser({ Username: username, Pool: this.pool, Storage: memoryStorage() });
  }

  /** One Cognito API call (JSON 1.1, unauthenticated), failing with the exception name as `code`. */
  private async call<T>(operation: string, body: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-amz-json-1.1",
          "X-Amz-Target": `AWSCognitoIdentityProviderService.${operation}`,
        },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw Object.assign(new Error("Network error"), { code: "NetworkError", cause: error });
    }
    const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok) return data as T;
    const type = String(data.__type ?? data.code ?? response.headers.get("x-amzn-errortype") ?? "");
    const code = type.split("#").pop()?.split(":")[0] || `HTTP${response.status}`;
    const message = data.message ?? data.Message;
    throw Object.assign(new Error(typeof message === "string" ? message : `${operation} failed`), {
      code,
      name: code,
    });
  }
}

function tokensOf(session: CognitoUserSession): Tokens {
  const accessToken = session.getAccessToken().getJwtToken();
  return {
    accessToken,
    idToken: session.getIdToken().getJwtToken(),
    refreshToken: session.getRefreshToken().getToken(),
    expiresIn: lifetimeSeconds(accessToken),
    tokenType: "Bearer",
  };
}

function unsupportedChallenge(name: string): ApiError {
  return new ApiError(
    403,
    "unsupported_challenge",
    `This account needs a sign-in step the Retouch editor does not offer (${name}). Ask your Retouch administrator.`,
  );
}
