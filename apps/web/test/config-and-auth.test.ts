import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api/http";
import { UnsupportedAuthError, createAuthProvider } from "../src/auth/create-auth-provider";
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

  it("says plainly that Cognito sign-in is not in this build", () => {
    const config = parseConfig({ userPoolId: "p", userPoolClientId: "c", region: "r", invokeUrl: "/api" });
    if (!config.ok) throw new Error("expected a valid config");
    expect(() => createAuthProvider(config.config)).toThrow(UnsupportedAuthError);
    expect(() => createAuthProvider(config.config)).toThrow(
      /Cognito sign-in is not available in this build yet/,
    );
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
