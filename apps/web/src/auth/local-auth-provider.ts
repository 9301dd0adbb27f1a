import { ApiError, postJson } from "../api/http";
import type { Tokens } from "../api/types";
import type { AuthProvider, NewPasswordChallenge, SignInResult, SignedInUser } from "./auth-provider";

/** Refresh this long before the access token expires, so no request goes out with a stale one. */
export const REFRESH_MARGIN_MS = 60_000;

const STORAGE_KEY = "retouch.session";

interface StoredSession {
  username: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
}

/** The subset of `Storage` this provider uses (so tests can pass a plain object). */
export type SessionStorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

function isStoredSession(value: unknown): value is StoredSession {
  const v = value as Partial<StoredSession> | null;
  return (
    !!v &&
    typeof v.username === "string" &&
    typeof v.accessToken === "string" &&
    typeof v.idToken === "string" &&
    typeof v.refreshToken === "string" &&
    typeof v.expiresAt === "number"
  );
}

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
  private session: StoredSession | null;
  private refreshing: Promise<Tokens> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly invokeUrl: string,
    private readonly storage: SessionStorageLike = window.sessionStorage,
    private readonly now: () => number = Date.now,
  ) {
    this.session = this.load();
  }

  async signIn(username: string, password: string): Promise<SignInResult> {
    const result = await postJson<SignInResult>(`${this.invokeUrl}/auth/login`, { username, password });
    if ("tokens" in result) this.store(username, result.tokens);
    return result;
  }

  async completeNewPassword(challenge: NewPasswordChallenge, newPassword: string): Promise<Tokens> {
    const { tokens } = await postJson<{ tokens: Tokens }>(`${this.invokeUrl}/auth/new-password`, {
      username: challenge.username,
      session: challenge.session,
      newPassword,
    });
    this.store(challenge.username, tokens);
    return tokens;
  }

  refresh(): Promise<Tokens> {
    // One refresh at a time: concurrent callers share it (the API may rotate refresh tokens).
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<Tokens> {
    const session = this.session;
    if (!session) throw new ApiError(401, "unauthorized", "You are signed out. Sign in again.");
    try {
      const { tokens } = await postJson<{ tokens: Tokens }>(`${this.invokeUrl}/auth/refresh`, {
        refreshToken: session.refreshToken,
      });
      // Keep the refresh token when the API does not send a new one.
      this.store(session.username, { ...tokens, refreshToken: tokens.refreshToken || session.refreshToken });
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
    const wasSignedIn = this.session !== null;
    this.session = null;
    this.storage.removeItem(STORAGE_KEY);
    if (wasSignedIn) this.emit();
  }

  async getAccessToken(): Promise<string | null> {
    if (!this.session) return null;
    if (this.session.expiresAt - this.now() > REFRESH_MARGIN_MS) return this.session.accessToken;
    try {
      return (await this.refresh()).accessToken;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  }

  currentUser(): SignedInUser | null {
    return this.session ? { username: this.session.username } : null;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit() {
    for (const listener of [...this.listeners]) listener();
  }

  private store(username: string, tokens: Tokens) {
    const wasSignedIn = this.session !== null;
    this.session = {
      username,
      accessToken: tokens.accessToken,
      idToken: tokens.idToken,
      refreshToken: tokens.refreshToken,
      expiresAt: this.now() + tokens.expiresIn * 1000,
    };
    try {
      this.storage.setItem(STORAGE_KEY, JSON.stringify(this.session));
    } catch {
      // storage full or disabled: the session lives in memory for this page only
    }
    if (!wasSignedIn) this.emit();
  }

  private load(): StoredSession | null {
    try {
      const raw = this.storage.getItem(STORAGE_KEY);
      if (!raw) return null;
      const parsed: unknown = JSON.parse(raw);
      return isStoredSession(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
}
