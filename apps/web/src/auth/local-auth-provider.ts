import { ApiError, postJson } from "../api/http";
import type { Tokens } from "../api/types";
import type { AuthProvider, NewPasswordChallenge, SignInResult, SignedInUser } from "./auth-provider";
import { TokenSession, type SessionStorageLike } from "./token-session";

export { REFRESH_MARGIN_MS, type SessionStorageLike } from "./token-session";

const STORAGE_KEY = "retouch.session";

/**
 * Signs in against the local server's `/auth/*` routes.
 *
 * Tokens — the refresh token too — live in `sessionStorage`: they survive a reload of the tab
 * (so a refresh of the page does not sign the user out) but not the closing of the tab, and
 * they are not shared with other tabs or left behind on the machine the way `localStorage`
 * would leave them. The API takes bearer tokens (the same on AWS, where API Gateway's Cognito
 * authorizer reads them), so an HttpOnly cookie is not an option without a server-side session
 * layer; like any token kept by a SPA they are readable by script running on this origin, which
 * is why the app loads no third-party script and the access token is short-lived.
 *
 * @example
 * ```ts
 * const auth = new LocalAuthProvider("/api");
 * const result = await auth.signIn("admin", password);
 * if ("challenge" in result) await auth.completeNewPassword(result, "N3w-Passw0rd!");
 * const token = await auth.getAccessToken();
 * ```
 */
export class LocalAuthProvider implements AuthProvider {
  private readonly session: TokenSession;

  constructor(
    private readonly invokeUrl: string,
    storage: SessionStorageLike = window.sessionStorage,
    now: () => number = Date.now,
  ) {
    this.session = new TokenSession(storage, STORAGE_KEY, now);
  }

  async signIn(username: string, password: string): Promise<SignInResult> {
    const result = await postJson<SignInResult>(`${this.invokeUrl}/auth/login`, { username, password });
    if ("tokens" in result) this.session.store(username, result.tokens);
    return result;
  }

  async completeNewPassword(challenge: NewPasswordChallenge, newPassword: string): Promise<Tokens> {
    const { tokens } = await postJson<{ tokens: Tokens }>(`${this.invokeUrl}/auth/new-password`, {
      username: challenge.username,
      session: challenge.session,
      newPassword,
    });
    this.session.store(challenge.username, tokens);
    return tokens;
  }

  refresh(): Promise<Tokens> {
    // One refresh at a time: concurrent callers share it (the API may rotate refresh tokens).
    return this.session.refreshOnce(() => this.doRefresh());
  }

  private async doRefresh(): Promise<Tokens> {
    const session = this.session.current;
    if (!session) throw new ApiError(401, "unauthorized", "You are signed out. Sign in again.");
    try {
      const { tokens } = await postJson<{ tokens: Tokens }>(`${this.invokeUrl}/auth/refresh`, {
        refreshToken: session.refreshToken,
      });
      // Keep the refresh token when the API does not send a new one.
      this.session.store(session.username, {
        ...tokens,
        refreshToken: tokens.refreshToken || session.refreshToken,
      });
      return tokens;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 400 || error.status === 401)) {
        this.signOut();
        throw new ApiError(401, "session_expired", "Your session has expired. Sign in again.");
      }
      throw error;
    }
  }

  signOut(): void {
    this.session.clear();
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
}
