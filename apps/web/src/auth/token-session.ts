import { ApiError } from "../api/http";
import type { Tokens } from "../api/types";
import type { SignedInUser } from "./auth-provider";

/** Refresh this long before the access token expires, so no request goes out with a stale one. */
export const REFRESH_MARGIN_MS = 60_000;

/** The subset of `Storage` a session uses (so tests can pass a plain object). */
export type SessionStorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** A signed-in user's tokens as kept in storage. */
export interface StoredSession {
  username: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** Epoch ms (by this browser's clock) when the access token expires. */
  expiresAt: number;
}

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
 * What every auth provider keeps the same way: the session in storage under `storageKey`, the
 * listeners told when the user signs in or out, one refresh at a time, and an access token
 * refreshed shortly before it expires. Providers differ only in how they sign in and refresh.
 *
 * @example
 * ```ts
 * const session = new TokenSession(window.sessionStorage, "retouch.session", Date.now);
 * session.store("ana", tokens);
 * await session.accessToken(() => refreshWithTheServer());
 * ```
 */
export class TokenSession {
  private session: StoredSession | null;
  private refreshing: Promise<Tokens> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: SessionStorageLike,
    private readonly storageKey: string,
    private readonly now: () => number,
  ) {
    this.session = this.load();
  }

  get current(): StoredSession | null {
    return this.session;
  }

  /** Keeps the tokens (in memory if storage refuses them); tells listeners when this signs in. */
  store(username: string, tokens: Tokens): void {
    const wasSignedIn = this.session !== null;
    this.session = {
      username,
      accessToken: tokens.accessToken,
      idToken: tokens.idToken,
      refreshToken: tokens.refreshToken,
      expiresAt: this.now() + tokens.expiresIn * 1000,
    };
    try {
      this.storage.setItem(this.storageKey, JSON.stringify(this.session));
    } catch {
      // storage full or disabled: the session lives in memory for this page only
    }
    if (!wasSignedIn) this.emit();
  }

  /** Forgets the session and returns what it was; listeners hear of it if someone was signed in. */
  clear(): StoredSession | null {
    const previous = this.session;
    this.session = null;
    this.storage.removeItem(this.storageKey);
    if (previous) this.emit();
    return previous;
  }

  /** Runs `refresh` unless one is under way, in which case its callers share it. */
  refreshOnce(refresh: () => Promise<Tokens>): Promise<Tokens> {
    this.refreshing ??= refresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** The access token, refreshed with `refresh` when it is about to expire; null when signed out. */
  async accessToken(refresh: () => Promise<Tokens>): Promise<string | null> {
    if (!this.session) return null;
    if (this.session.expiresAt - this.now() > REFRESH_MARGIN_MS) return this.session.accessToken;
    try {
      return (await refresh()).accessToken;
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

  private load(): StoredSession | null {
    try {
      const raw = this.storage.getItem(this.storageKey);
      if (!raw) return null;
      const parsed: unknown = JSON.parse(raw);
      return isStoredSession(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
}
