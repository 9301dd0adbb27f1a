// startCognitoLocal lives with the adapters tests, whose module declarations for dynalite and s3rver it needs.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../packages/adapters/test/local-servers.d.ts" />
import {
  AdminCreateUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createCognitoIdentity } from "@retouch/adapters";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCognitoSrpFront } from "../../../packages/adapters/test/cognito-srp-front";
import { startCognitoLocal } from "../../../packages/adapters/test/local-aws";
import { ApiError } from "../src/api/http";
import { CognitoAuthProvider, type CognitoAuthOptions } from "../src/auth/cognito-auth-provider";
import type { SessionStorageLike } from "../src/auth/local-auth-provider";
import { signInErrorMessage } from "../src/screens/SignInFlow";

/**
 * The Cognito auth provider against a real Cognito-compatible server (cognito-local on
 * localhost:9229). cognito-local does not implement `USER_SRP_AUTH` (its InitiateAuth answers
 * `Unsupported` for every flow but USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH), so most tests
 * sign in with `authFlow: "USER_PASSWORD_AUTH"`, and the SRP default runs against the SRP front
 * (`cognito-srp-front.ts`: the server half of Cognito's SRP before cognito-local — a stand-in,
 * as no local server has SRP). The same provider code drives both flows after the first request
 * (challenge, tokens, refresh, sign-out).
 */
const TEMPORARY = "Temp-Pass-123!";
const CHOSEN = "Chosen-Pass-456?";

class MemoryStorage implements SessionStorageLike {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

let server: Awaited<ReturnType<typeof startCognitoLocal>>;
let pool: { userPoolId: string; clientId: string; issuer: string };
let options: CognitoAuthOptions;

beforeAll(async () => {
  server = await startCognitoLocal();
  pool = await server.createPool();
  options = {
    userPoolId: pool.userPoolId,
    userPoolClientId: pool.clientId,
    region: "us-east-1",
    authFlow: "USER_PASSWORD_AUTH",
    cognitoEndpoint: server.endpoint,
  };
}, 150_000); // cognito-local's port is fixed: this may wait for another test file to release it
afterAll(async () => {
  await server?.stop();
});

/** An administrator-created user with a temporary password, as `retouch aws deploy --admin-email` makes. */
async function adminCreateUser(username: string): Promise<void> {
  await server.client.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.userPoolId,
      Username: username,
      TemporaryPassword: TEMPORARY,
      MessageAction: "SUPPRESS",
      UserAttributes: [
        { Name: "email", Value: `${username}@example.com` },
        { Name: "email_verified", Value: "true" },
      ],
    }),
  );
}

/** A user who has already chosen their password. */
async function confirmedUser(username: string): Promise<void> {
  await adminCreateUser(username);
  const auth = new CognitoAuthProvider(options, new MemoryStorage());
  const first = await auth.signIn(username, TEMPORARY);
  if (!("challenge" in first)) throw new Error("expected NEW_PASSWORD_REQUIRED");
  await auth.completeNewPassword(first, CHOSEN);
}

function storedSession(storage: MemoryStorage): { refreshToken: string; expiresAt: number } {
  const raw = storage.getItem(`retouch.cognito.${pool.clientId}.session`);
  if (!raw) throw new Error("no stored session");
  return JSON.parse(raw) as { refreshToken: string; expiresAt: number };
}

describe("CognitoAuthProvider (cognito-local)", () => {
  it("answers NEW_PASSWORD_REQUIRED at first sign-in and gets tokens the API's Cognito identity accepts", async () => {
    // Prepare
    await adminCreateUser("ana");
    const storage = new MemoryStorage();
    const auth = new CognitoAuthProvider(options, storage);
    const changes: (string | null)[] = [];
    auth.subscribe(() => changes.push(auth.currentUser()?.username ?? null));
    const identity = createCognitoIdentity({ client: server.client, ...pool });

    // Act
    const first = await auth.signIn("ana", TEMPORARY);
    if (!("challenge" in first)) throw new Error("expected the NEW_PASSWORD_REQUIRED challenge");
    const weak = await auth.completeNewPassword(first, "password").catch((e: unknown) => e);
    const tokens = await auth.completeNewPassword(first, CHOSEN);

    // Assess
    expect(first).toMatchObject({ challenge: "NEW_PASSWORD_REQUIRED", username: "ana" });
    expect(first.session).toBeTruthy();
    expect(weak).toBeInstanceOf(ApiError);
    expect((weak as ApiError).status).toBe(400);
    expect((weak as ApiError).message).toMatch(/uppercase letter/);
    expect(changes).toEqual(["ana"]);
    expect(auth.currentUser()).toEqual({ username: "ana" });
    const sent = await auth.getAccessToken();
    expect(sent).toBe(tokens.accessToken);
    expect(await identity.verifyAccessToken(sent!)).toMatchObject({ username: "ana" });
    // The ID token is not what the API takes.
    await expect(identity.verifyAccessToken(tokens.idToken)).rejects.toThrow();
    expect(tokens.expiresIn).toBeGreaterThan(60);
    // A reload of the tab (a new provider on the same storage) is still signed in.
    const reloaded = new CognitoAuthProvider(options, storage);
    expect(reloaded.currentUser()).toEqual({ username: "ana" });
    expect(await reloaded.getAccessToken()).toBe(tokens.accessToken);
  });

  it("says 'Incorrect username or password.' for a wrong password and for an unknown user", async () => {
    // Prepare
    await confirmedUser("ben");
    const auth = new CognitoAuthProvider(options, new MemoryStorage());

    // Act
    const wrong = await auth.signIn("ben", "Wrong-Pass-000!").catch((e: unknown) => e);
    const unknown = await auth.signIn("nobody", "Wrong-Pass-000!").catch((e: unknown) => e);

    // Assess
    for (const error of [wrong, unknown]) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(401);
      expect(signInErrorMessage(error)).toBe("Incorrect username or password.");
    }
    expect(auth.currentUser()).toBeNull();
    const signedIn = await auth.signIn("ben", CHOSEN);
    expect("tokens" in signedIn).toBe(true);
  });

  it("says an unconfirmed account is not confirmed yet", async () => {
    // Prepare: a self-signed-up user nobody confirmed (the CDK pool has no sign-up; Cognito still has the state)
    await server.client.send(
      new SignUpCommand({ ClientId: pool.clientId, Username: "cleo", Password: CHOSEN }),
    );
    const auth = new CognitoAuthProvider(options, new MemoryStorage());

    // Act
    const error = await auth.signIn("cleo", CHOSEN).catch((e: unknown) => e);

    // Assess
    expect((error as ApiError).status).toBe(403);
    expect(signInErrorMessage(error)).toMatch(/not confirmed yet/);
  });

  it("refreshes the access token about a minute before it expires, keeping the refresh token", async () => {
    // Prepare: cognito-local keeps refresh tokens only from InitiateAuth, so sign in with the chosen password
    await confirmedUser("dan");
    const storage = new MemoryStorage();
    let clock = Date.now();
    const auth = new CognitoAuthProvider(options, storage, () => clock);
    const signedIn = await auth.signIn("dan", CHOSEN);
    if (!("tokens" in signedIn)) throw new Error("expected tokens");
    const identity = createCognitoIdentity({ client: server.client, ...pool });

    // Act: 30 s before expiry
    clock += signedIn.tokens.expiresIn * 1000 - 30_000;
    const refreshed = await auth.getAccessToken();

    // Assess
    expect(refreshed).toBeTruthy();
    expect(await identity.verifyAccessToken(refreshed!)).toMatchObject({ username: "dan" });
    const after = storedSession(storage);
    expect(after.expiresAt).toBe(clock + signedIn.tokens.expiresIn * 1000);
    expect(after.refreshToken).toBe(signedIn.tokens.refreshToken);
    expect(auth.currentUser()).toEqual({ username: "dan" });
  });

  it("signs out when the refresh token is refused", async () => {
    // Prepare: a stored session whose refresh token Cognito does not know, past its expiry
    await confirmedUser("eve");
    const storage = new MemoryStorage();
    const first = new CognitoAuthProvider(options, storage);
    await first.signIn("eve", CHOSEN);
    const key = `retouch.cognito.${pool.clientId}.session`;
    storage.setItem(
      key,
      JSON.stringify({ ...storedSession(storage), refreshToken: "garbage", expiresAt: 0 }),
    );
    const auth = new CognitoAuthProvider(options, storage);
    let notified = 0;
    auth.subscribe(() => notified++);

    // Act
    const token = await auth.getAccessToken();
    const refresh = await auth.refresh().catch((e: unknown) => e);

    // Assess
    expect(token).toBeNull();
    expect(auth.currentUser()).toBeNull();
    expect(notified).toBe(1);
    expect(storage.getItem(key)).toBeNull();
    expect((refresh as ApiError).status).toBe(401);
  });

  it("forgets the session on sign-out and revokes its refresh token", async () => {
    // Prepare
    await confirmedUser("fay");
    const storage = new MemoryStorage();
    const auth = new CognitoAuthProvider(options, storage);
    const signedIn = await auth.signIn("fay", CHOSEN);
    if (!("tokens" in signedIn)) throw new Error("expected tokens");
    let notified = 0;
    auth.subscribe(() => notified++);

    // Act
    auth.signOut();

    // Assess
    expect(auth.currentUser()).toBeNull();
    expect(await auth.getAccessToken()).toBeNull();
    expect(new CognitoAuthProvider(options, storage).currentUser()).toBeNull();
    expect(notified).toBe(1);
    // The revocation runs in the background: wait for Cognito to refuse the refresh token.
    const refused = await waitFor(async () => {
      const error = await server.client
        .send(
          new InitiateAuthCommand({
            ClientId: pool.clientId,
            AuthFlow: "REFRESH_TOKEN_AUTH",
            AuthParameters: { REFRESH_TOKEN: signedIn.tokens.refreshToken },
          }),
        )
        .then(() => null)
        .catch((e: unknown) => e);
      return error instanceof Error && error.name === "NotAuthorizedException";
    });
    expect(refused).toBe(true);
  });

  it("signs in with USER_SRP_AUTH by default: temporary password, new password, then the chosen one", async () => {
    // Prepare: cognito-local has no SRP, so the SRP front (a stand-in for Cognito's SRP half,
    // checking the client's proof as Cognito does) sits before it
    await adminCreateUser("gus");
    const front = await startCognitoSrpFront(server.endpoint, pool.userPoolId);
    front.setPassword("gus", TEMPORARY);
    const { authFlow: _passwordFlow, ...srp } = options;
    const viaFront = { ...srp, cognitoEndpoint: front.url };
    const identity = createCognitoIdentity({ client: server.client, ...pool });

    try {
      // Act
      const first = await new CognitoAuthProvider(viaFront, new MemoryStorage()).signIn("gus", TEMPORARY);
      if (!("challenge" in first)) throw new Error("expected the NEW_PASSWORD_REQUIRED challenge");
      const auth = new CognitoAuthProvider(viaFront, new MemoryStorage());
      const challenged = await auth.signIn("gus", TEMPORARY);
      if (!("challenge" in challenged)) throw new Error("expected the NEW_PASSWORD_REQUIRED challenge");
      const tokens = await auth.completeNewPassword(challenged, CHOSEN);
      const later = await new CognitoAuthProvider(viaFront, new MemoryStorage()).signIn("gus", CHOSEN);
      const old = await new CognitoAuthProvider(viaFront, new MemoryStorage())
        .signIn("gus", TEMPORARY)
        .catch((e: unknown) => e);

      // Assess
      expect(first).toMatchObject({ challenge: "NEW_PASSWORD_REQUIRED", username: "gus" });
      expect(await identity.verifyAccessToken(tokens.accessToken)).toMatchObject({ username: "gus" });
      expect(auth.currentUser()).toEqual({ username: "gus" });
      expect("tokens" in later).toBe(true);
      expect(signInErrorMessage(old)).toBe("Incorrect username or password.");
    } finally {
      await front.stop();
    }
  });

  it("refuses a wrong password over SRP: the proof made from it does not verify", async () => {
    // Prepare
    await confirmedUser("hal");
    const front = await startCognitoSrpFront(server.endpoint, pool.userPoolId);
    front.setPassword("hal", CHOSEN);
    const { authFlow: _passwordFlow, ...srp } = options;
    const auth = new CognitoAuthProvider({ ...srp, cognitoEndpoint: front.url }, new MemoryStorage());

    try {
      // Act
      const wrong = await auth.signIn("hal", "Wrong-Pass-000!").catch((e: unknown) => e);
      const right = await auth.signIn("hal", CHOSEN);

      // Assess
      expect(wrong).toBeInstanceOf(ApiError);
      expect((wrong as ApiError).status).toBe(401);
      expect(signInErrorMessage(wrong)).toBe("Incorrect username or password.");
      expect("tokens" in right).toBe(true);
    } finally {
      await front.stop();
    }
  });

  it("says Cognito could not be reached when the endpoint is down", async () => {
    // Prepare: nothing listens on port 9
    const auth = new CognitoAuthProvider(
      { ...options, cognitoEndpoint: "http://127.0.0.1:9" },
      new MemoryStorage(),
    );

    // Act
    const error = await auth.signIn("ana", CHOSEN).catch((e: unknown) => e);

    // Assess
    expect((error as ApiError).status).toBe(0);
    expect(signInErrorMessage(error)).toMatch(/Could not reach/);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
