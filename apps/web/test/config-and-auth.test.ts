import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api/http";
import { CognitoAuthProvider } from "../src/auth/cognito-auth-provider";
import { toApiError } from "../src/auth/cognito-errors";
import { createAuthProvider } from "../src/auth/create-auth-provider";
import { checkPassword, isPasswordValid } from "../src/auth/password-policy";
import { parseConfig } from "../src/config";
import { signInErrorMessage } from "../src/screens/SignInFlow";
import { checkImageFile } from "../src/workspace/images";

describe("runtime config", () => {
  it("accepts the local form and trims the trailing slash", () => {
    expect(parseConfig({ auth: "local", invokeUrl: "/api/" })).toEqual({
      ok: true,
      config: { auth: "local", invokeUrl: "/api" },
    });
  });

  it("accepts the Cognito form", () => {
    const result = parseConfig({
      userPoolId: "eu-west-1_abc",
      userPoolClientId: "client",
      region: "eu-west-1",
      invokeUrl: "https://x.execute-api.eu-west-1.amazonaws.com/prod",
    });
    expect(result).toMatchObject({ ok: true, config: { auth: "cognito", region: "eu-west-1" } });
  });

  it("names every problem of a missing or broken config", () => {
    expect(parseConfig(undefined)).toMatchObject({ ok: false, problems: [expect.stringMatching(/not set/)] });
    expect(parseConfig("x")).toMatchObject({ ok: false });
    const broken = parseConfig({ userPoolId: "", invokeUrl: "ftp://x" });
    expect(broken.ok).toBe(false);
    if (!broken.ok) {
      expect(broken.problems.join("\n")).toMatch(/invokeUrl 'ftp:\/\/x'/);
      expect(broken.problems.join("\n")).toMatch(/userPoolId/);
      expect(broken.problems.join("\n")).toMatch(/region/);
    }
    expect(parseConfig({ auth: "saml", invokeUrl: "/api" })).toMatchObject({ ok: false });
  });

  it("chooses the Cognito provider for the Cognito form, SRP unless authFlow says otherwise", () => {
    // Prepare
    const cognito = {
      userPoolId: "local_AbC123",
      userPoolClientId: "client1",
      region: "us-east-1",
      invokeUrl: "/api",
    };

    // Act
    const srp = parseConfig({ ...cognito, cognitoEndpoint: "http://localhost:9229" });
    const password = parseConfig({
      ...cognito,
      authFlow: "USER_PASSWORD_AUTH",
      cognitoEndpoint: "http://localhost:9229",
    });

    // Assess
    expect(srp).toMatchObject({
      ok: true,
      config: { authFlow: "USER_SRP_AUTH", cognitoEndpoint: "http://localhost:9229" },
    });
    expect(password).toMatchObject({ ok: true, config: { authFlow: "USER_PASSWORD_AUTH" } });
    if (!srp.ok) throw new Error("expected a valid config");
    expect(createAuthProvider(srp.config)).toBeInstanceOf(CognitoAuthProvider);
  });

  it("names each broken Cognito field", () => {
    // Act
    const result = parseConfig({
      userPoolId: "not a pool",
      userPoolClientId: "client 1",
      region: "Europe",
      invokeUrl: "/api",
      authFlow: "CUSTOM_AUTH",
      cognitoEndpoint: "localhost:9229",
    });
    const elsewhere = parseConfig({
      userPoolId: "us-east-1_AbC123",
      userPoolClientId: "client1",
      region: "eu-west-1",
      invokeUrl: "/api",
    });

    // Assess
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const text = result.problems.join("\n");
      expect(text).toMatch(/region 'Europe'/);
      expect(text).toMatch(/userPoolId 'not a pool'/);
      expect(text).toMatch(/userPoolClientId 'client 1'/);
      expect(text).toMatch(/authFlow 'CUSTOM_AUTH'/);
      expect(text).toMatch(/cognitoEndpoint 'localhost:9229'/);
    }
    expect(elsewhere).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/not in region 'eu-west-1'/)],
    });
  });
});

describe("password policy", () => {
  it("ticks each of Cognito's default rules", () => {
    expect(checkPassword("").every((r) => !r.ok)).toBe(true);
    expect(checkPassword("abc").find((r) => r.id === "lowercase")?.ok).toBe(true);
    expect(
      checkPassword("Abcdefg1")
        .filter((r) => !r.ok)
        .map((r) => r.id),
    ).toEqual(["symbol"]);
    expect(isPasswordValid("N3w-Secret-Passw0rd!")).toBe(true);
    expect(isPasswordValid("short1!A")).toBe(true);
    expect(isPasswordValid("short!A")).toBe(false);
  });
});

describe("sign-in messages", () => {
  it("has one per failure", () => {
    expect(signInErrorMessage(new ApiError(401, "unauthorized", "x"))).toBe(
      "Incorrect username or password.",
    );
    expect(signInErrorMessage(new ApiError(429, "too_many_requests", "x", undefined, 120))).toBe(
      "Too many failed attempts. Try again in 2 minutes.",
    );
    expect(signInErrorMessage(new ApiError(429, "too_many_requests", "x", undefined, 30))).toMatch(
      /30 seconds/,
    );
    expect(signInErrorMessage(new ApiError(0, "network_error", "x"))).toMatch(/Could not reach Retouch/);
  });
});

describe("Cognito errors", () => {
  /** An error as amazon-cognito-identity-js (and the provider's own Cognito calls) report it. */
  const cognito = (code: string, message = "") => Object.assign(new Error(message), { code, name: code });

  it("become the statuses and words the sign-in screens already show", () => {
    // Act + Assess: sign-in
    const cases: [unknown, number, RegExp][] = [
      [
        cognito("NotAuthorizedException", "Incorrect username or password."),
        401,
        /^Incorrect username or password\.$/,
      ],
      [cognito("UserNotFoundException", "User does not exist."), 401, /^Incorrect username or password\.$/],
      [cognito("NotAuthorizedException", "Password attempts exceeded"), 429, /Too many failed attempts/],
      [cognito("TooManyFailedAttemptsException"), 429, /Too many failed attempts/],
      [cognito("TooManyRequestsException"), 429, /Too many failed attempts/],
      [cognito("UserNotConfirmedException", "User is not confirmed."), 403, /not confirmed yet/],
      [cognito("PasswordResetRequiredException"), 403, /must be reset/],
      [cognito("NotAuthorizedException", "User is disabled."), 403, /disabled/],
      [
        cognito("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"),
        503,
        /does not allow the sign-in flow in config.js \(authFlow\)/,
      ],
      [
        cognito("Unsupported", "Cognito Local unsupported feature: InitAuth with AuthFlow=USER_SRP_AUTH"),
        503,
        /does not allow the sign-in flow/,
      ],
      [cognito("ResourceNotFoundException", "User pool client x does not exist."), 503, /does not exist/],
      [cognito("NetworkError", "Network error"), 0, /Could not reach/],
    ];
    for (const [error, status, words] of cases) {
      const mapped = toApiError(error, "sign-in");
      expect(mapped.status, String(error)).toBe(status);
      expect(signInErrorMessage(mapped)).toMatch(words);
    }
  });

  it("tell a refused new password from an expired challenge", () => {
    // Act
    const policy = toApiError(
      cognito(
        "InvalidPasswordException",
        "Password does not conform to policy: Password must have symbol characters",
      ),
      "new-password",
    );
    const expired = toApiError(
      cognito("NotAuthorizedException", "Invalid session for the user, session is expired."),
      "new-password",
    );

    // Assess
    expect(policy.status).toBe(400);
    expect(policy.message).toMatch(/symbol characters/);
    expect(expired.status).toBe(401);
  });
});

describe("file checks before upload", () => {
  it("refuses other types and files over 25 MB, naming them", () => {
    expect(checkImageFile({ name: "a.png", type: "image/png", size: 1000 })).toBeNull();
    expect(checkImageFile({ name: "a.gif", type: "image/gif", size: 1000 })).toMatch(
      /a GIF.*PNG, JPEG and WebP/,
    );
    expect(checkImageFile({ name: "notes.txt", type: "text/plain", size: 10 })).toMatch(/“notes.txt”/);
    expect(checkImageFile({ name: "big.jpg", type: "image/jpeg", size: 26 * 1024 * 1024 })).toMatch(
      /26\.0 MB.*25\.0 MB/,
    );
  });
});
