import { describe, expect, it } from "vitest";
import {
  InternalError,
  NotFoundError,
  TooManyRequestsError,
  checkPassword,
  passwordProblems,
  toHttpError,
} from "../src/index";

describe("typed errors", () => {
  it("serialise to the API's error body", () => {
    // Act
    const body = new NotFoundError("edit", "edt_1").toJSON();
    // Assess
    expect(body).toEqual({ error: { code: "not_found", message: "edit 'edt_1' was not found" } });
  });

  it("carry Retry-After seconds for 429", () => {
    const error = new TooManyRequestsError("slow down", 30);
    expect(error.statusCode).toBe(429);
    expect(error.toJSON().error.details).toEqual({ retryAfterSeconds: 30 });
  });

  it("hide the message of unknown errors", () => {
    // Act
    const mapped = toHttpError(new Error("ENOENT /secret/path"));
    // Assess
    expect(mapped).toBeInstanceOf(InternalError);
    expect(mapped.statusCode).toBe(500);
    expect(JSON.stringify(mapped.toJSON())).not.toContain("secret");
  });
});

describe("password policy (Cognito's default)", () => {
  it("accepts a password with every kind of character", () => {
    expect(passwordProblems("Tr0ub4dor&3")).toEqual([]);
  });

  it("lists what is missing", () => {
    expect(passwordProblems("abc")).toEqual([
      "at least 8 characters",
      "an uppercase letter",
      "a number",
      "a symbol",
    ]);
    expect(checkPassword("ABCDEFGH1!").find((r) => r.id === "lowercase")?.ok).toBe(false);
  });
});
