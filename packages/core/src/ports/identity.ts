import type { User } from "../schemas";

/** Who made a request, as proven by a verified access token. */
export interface Principal {
  userId: string;
  username: string;
}

export interface TokenSet {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: "Bearer";
}

/** Sign-in either succeeds or asks for a challenge (Cognito's `NEW_PASSWORD_REQUIRED`). */
export type SignInResult =
  | { kind: "tokens"; tokens: TokenSet }
  | { kind: "challenge"; challenge: "NEW_PASSWORD_REQUIRED"; session: string; username: string };

/**
 * Users and tokens, with Cognito's behaviour: admin-created users only, a temporary password
 * that must be changed at first sign-in, the default password policy, throttled failures.
 * Adapters: `local-jwt` (SQLite + ES256 JWTs), `cognito` (AWS).
 */
export interface Identity {
  /** Verifies signature, issuer, audience/client, expiry and token use. Throws `UnauthorizedError`. */
  verifyAccessToken(token: string): Promise<Principal>;
  signIn(username: string, password: string): Promise<SignInResult>;
  completeNewPassword(username: string, session: string, newPassword: string): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;

  /** Creates a user who must change `temporaryPassword` (generated when absent) at first sign-in. */
  createUser(input: {
    username: string;
    email?: string | null;
    temporaryPassword?: string;
  }): Promise<{ user: User; temporaryPassword: string }>;
  listUsers(): Promise<User[]>;
  getUser(username: string): Promise<User | null>;
  deleteUser(username: string): Promise<void>;
  /** Sets a new temporary password (generated when absent) and forces a change at next sign-in. */
  resetPassword(username: string, temporaryPassword?: string): Promise<{ temporaryPassword: string }>;
}
