import type { Tokens } from "../api/types";

export type { Tokens };

/** The first sign-in with a temporary password must choose a new one (Cognito's challenge name). */
export interface NewPasswordChallenge {
  challenge: "NEW_PASSWORD_REQUIRED";
  session: string;
  username: string;
}

export type SignInResult = { tokens: Tokens } | NewPasswordChallenge;

export interface SignedInUser {
  username: string;
}

/**
 * How the web editor signs people in. One implementation per identity provider named in
 * `config.js`: `LocalAuthProvider` (the local server's `/auth/*` routes) today, a Cognito one later.
 * Everything else in the app only sees this interface.
 */
export interface AuthProvider {
  /** Username or email + password → tokens, or the new-password challenge. Throws `ApiError`. */
  signIn(username: string, password: string): Promise<SignInResult>;
  /** Answers the challenge; signs in on success. Throws `ApiError` (400 carries the policy message). */
  completeNewPassword(challenge: NewPasswordChallenge, newPassword: string): Promise<Tokens>;
  /** New access and id tokens from the refresh token. Signs out (and throws) when that is refused. */
  refresh(): Promise<Tokens>;
  signOut(): void;
  /** A valid access token, refreshed silently about a minute before it expires; null when signed out. */
  getAccessToken(): Promise<string | null>;
  /** Who is signed in, or null. */
  currentUser(): SignedInUser | null;
  /** Called whenever the user signs in or out (also when a refresh is refused). Returns an unsubscribe. */
  subscribe(listener: () => void): () => void;
}
