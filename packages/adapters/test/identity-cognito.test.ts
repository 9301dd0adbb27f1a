import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
  type Identity,
  type TokenSet,
} from "@retouch/core";
import { createCognitoIdentity } from "../src/index";
import { startCognitoLocal } from "./local-aws";

/**
 * What the contract suite skips for cognito-local (see its `skips`), checked here the way
 * cognito-local allows, plus what only the Cognito adapter has.
 */
const TEMPORARY = "Temp-Pass-123!";
const CHOSEN = "Chosen-Pass-456?";

let server: Awaited<ReturnType<typeof startCognitoLocal>>;
beforeAll(async () => {
  server = await startCognitoLocal();
}, 60_000); // cognito-local's port is fixed: this may wait for another test file to release it
afterAll(async () => {
  await server.stop();
});

async function freshIdentity(): Promise<Identity> {
  return createCognitoIdentity({ client: server.client, ...(await server.createPool()) });
}

async function confirmedUser(identity: Identity, username = "ana"): Promise<TokenSet> {
  await identity.createUser({ username, temporaryPassword: TEMPORARY });
  const first = await identity.signIn(username, TEMPORARY);
  if (first.kind !== "challenge") throw new Error("expected NEW_PASSWORD_REQUIRED");
  return identity.completeNewPassword(username, first.session, CHOSEN);
}

describe("cognito identity (cognito-local)", () => {
  it("refreshes the tokens of a direct sign-in and refuses a garbage refresh token", async () => {
    // Prepare
    const identity = await freshIdentity();
    await confirmedUser(identity);
    const signedIn = await identity.signIn("ana", CHOSEN);
    if (signedIn.kind !== "tokens") throw new Error("expected tokens");

    // Act
    const refreshed = await identity.refresh(signedIn.tokens.refreshToken);

    // Assess
    expect((await identity.verifyAccessToken(refreshed.accessToken)).username).toBe("ana");
    expect(refreshed.refreshToken).toBe(signedIn.tokens.refreshToken);
    await expect(identity.refresh("garbage")).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("resets a password: challenge again, 404 for an unknown user, 400 for a weak password", async () => {
    // Prepare
    const identity = await freshIdentity();
    await confirmedUser(identity);

    // Act
    const generated = await identity.resetPassword("ana");
    const given = await identity.resetPassword("ana", "Given-Temp-1!");

    // Assess
    expect(generated.temporaryPassword).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9]).{8,}$/);
    expect(given.temporaryPassword).toBe("Given-Temp-1!");
    expect((await identity.getUser("ana"))?.status).toBe("FORCE_CHANGE_PASSWORD");
    const first = await identity.signIn("ana", "Given-Temp-1!");
    if (first.kind !== "challenge") throw new Error("expected a challenge");
    const tokens = await identity.completeNewPassword("ana", first.session, "Another-Pass-789!");
    expect((await identity.verifyAccessToken(tokens.accessToken)).username).toBe("ana");
    await expect(identity.resetPassword("nobody")).rejects.toBeInstanceOf(NotFoundError);
    await expect(identity.resetPassword("ana", "weak")).rejects.toBeInstanceOf(ValidationError);
  });

  it("refuses an access token of another app client", async () => {
    // Prepare
    const ours = await freshIdentity();
    const theirs = await freshIdentity();
    const tokens = await confirmedUser(theirs);

    // Act
    const error = await ours.verifyAccessToken(tokens.accessToken).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
  });
});

describe("cognito identity errors", () => {
  it("turns Cognito throttling into TooManyRequestsError", async () => {
    // Prepare
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" });
    const client = {
      send: () => Promise.reject(throttled),
    } as unknown as CognitoIdentityProviderClient;
    const identity = createCognitoIdentity({ client, userPoolId: "eu-west-1_abc", clientId: "web" });

    // Act
    const error = await identity.signIn("ana", CHOSEN).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(TooManyRequestsError);
  });
});
