import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFirstUser } from "../src/aws/first-user";
import { generateTemporaryPassword } from "../src/aws/temporary-password";
import { startCognitoLocal } from "../../../packages/adapters/test/local-aws";

// The stack's pool policy (infra/src/auth.ts): 8+ characters with lower, upper, digit and symbol.
const POLICY = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{8,}$/;

describe("first Cognito user (against cognito-local)", () => {
  let cognito: Awaited<ReturnType<typeof startCognitoLocal>>;

  beforeAll(async () => {
    cognito = await startCognitoLocal();
  });
  afterAll(async () => {
    await cognito?.stop();
  });

  it("creates the user with a policy-satisfying temporary password and a verified email", async () => {
    // Prepare
    const { userPoolId } = await cognito.createPool();

    // Act
    const result = await createFirstUser({
      cognito: cognito.client,
      userPoolId,
      username: "admin",
      email: "owner@example.com",
    });

    // Assess
    expect(result).toMatchObject({ created: true, username: "admin", emailed: true });
    if (!result.created) throw new Error("expected a new user");
    expect(result.temporaryPassword).toMatch(POLICY);
    const user = await cognito.client.send(
      new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "admin" }),
    );
    expect(user.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    const attributes = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
    expect(attributes).toMatchObject({ email: "owner@example.com", email_verified: "true" });
  });

  it("leaves an existing user alone and says so", async () => {
    // Prepare
    const { userPoolId } = await cognito.createPool();
    await createFirstUser({
      cognito: cognito.client,
      userPoolId,
      username: "admin",
      email: "owner@example.com",
    });
    const before = await cognito.client.send(
      new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "admin" }),
    );

    // Act
    const result = await createFirstUser({
      cognito: cognito.client,
      userPoolId,
      username: "admin",
      email: "someone-else@example.com",
    });

    // Assess
    expect(result).toEqual({ created: false, username: "admin" });
    const after = await cognito.client.send(
      new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "admin" }),
    );
    expect(after.UserLastModifiedDate).toEqual(before.UserLastModifiedDate);
    expect(after.UserAttributes).toEqual(before.UserAttributes);
  });

  it("creates a user without an email, sending no invitation", async () => {
    // Prepare
    const { userPoolId } = await cognito.createPool();

    // Act
    const result = await createFirstUser({ cognito: cognito.client, userPoolId, username: "editor" });

    // Assess
    expect(result).toMatchObject({ created: true, username: "editor", emailed: false });
  });
});

describe("generated temporary passwords", () => {
  it("always satisfy the policy, honour a longer minimum, and differ", () => {
    // Prepare
    const count = 200;

    // Act
    const passwords = Array.from({ length: count }, () => generateTemporaryPassword());
    const long = generateTemporaryPassword(24);

    // Assess
    for (const password of passwords) expect(password).toMatch(POLICY);
    expect(new Set(passwords).size).toBe(count);
    expect(passwords[0]).toHaveLength(16);
    expect(long).toHaveLength(24);
  });
});
