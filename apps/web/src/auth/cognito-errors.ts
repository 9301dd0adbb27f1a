import { ApiError } from "../api/http";

/** Which Cognito call failed: the same exception means different things in each. */
export type CognitoStep = "sign-in" | "new-password" | "refresh";

const INCORRECT = "Incorrect username or password.";
const TOO_MANY = "Too many failed attempts. Try again in a few minutes.";

/** The exception name of a Cognito error (`NotAuthorizedException`, ...), from the SDK or our own fetch. */
export function cognitoErrorName(error: unknown): string | undefined {
  if (!error || typeof error !== "object") return undefined;
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (typeof code === "string" && code) return code;
  if (typeof name === "string" && name && name !== "Error") return name;
  return undefined;
}

function cognitoMessage(error: unknown): string {
  return error instanceof Error ? error.message : "";
}

/**
 * Turns an error from Cognito (or from reaching it) into the `ApiError` the sign-in screens
 * already understand: 401 for a wrong username or password (whichever was wrong, so nobody can
 * probe for usernames), 429 for too many attempts, 0 when Cognito could not be reached, 400 with
 * Cognito's policy message for a refused new password, 403 with a plain sentence for an account
 * that cannot sign in (not confirmed, disabled, reset required).
 *
 * @example
 * ```ts
 * const error = Object.assign(new Error("Incorrect username or password."), { code: "NotAuthorizedException" });
 * toApiError(error, "sign-in"); // → ApiError(401, "unauthorized", "Incorrect username or password.")
 * ```
 */
export function toApiError(error: unknown, step: CognitoStep): ApiError {
  if (error instanceof ApiError) return error;
  const name = cognitoErrorName(error);
  const message = cognitoMessage(error);
  // AWS: InvalidParameterException "USER_PASSWORD_AUTH flow not enabled for this client";
  // cognito-local: Unsupported "InitAuth with AuthFlow=USER_SRP_AUTH".
  if (step === "sign-in" && /flow not (enabled|allowed)|AuthFlow=/i.test(message))
    return new ApiError(
      503,
      "auth_flow_not_allowed",
      `Sign-in is misconfigured: this Cognito endpoint or app client does not allow the sign-in flow in ` +
        `config.js (authFlow). Cognito said: ${message}`,
    );
  switch (name) {
    case "NetworkError":
      return new ApiError(
        0,
        "network_error",
        "Could not reach the sign-in service. Check your connection and try again.",
      );
    case "TooManyRequestsException":
    case "TooManyFailedAttemptsException":
    case "LimitExceededException":
      return new ApiError(429, "too_many_requests", TOO_MANY);
    case "UserNotConfirmedException":
      return new ApiError(
        403,
        "user_not_confirmed",
        "This account is not confirmed yet. Ask your Retouch administrator to confirm it.",
      );
    case "PasswordResetRequiredException":
      return new ApiError(
        403,
        "password_reset_required",
        "This account's password must be reset. Ask your Retouch administrator for a new temporary password.",
      );
    case "ResourceNotFoundException":
      return new ApiError(
        503,
        "cognito_not_found",
        "Sign-in is misconfigured: config.js names a Cognito user pool or app client that does not exist.",
      );
    case "InvalidPasswordException":
      // cognito-local answers a wrong password with it; AWS only for a new password breaking the policy.
      if (step === "sign-in") return new ApiError(401, "unauthorized", INCORRECT);
      return new ApiError(
        400,
        "invalid_password",
        message || "The new password does not meet the password policy.",
      );
    case "UserNotFoundException":
      if (step === "sign-in") return new ApiError(401, "unauthorized", INCORRECT);
      return new ApiError(401, "session_expired", "Your session has expired. Sign in again.");
    case "NotAuthorizedException":
      if (/attempts exceeded/i.test(message)) return new ApiError(429, "too_many_requests", TOO_MANY);
      if (/disabled/i.test(message))
        return new ApiError(
          403,
          "user_disabled",
          "This account is disabled. Ask your Retouch administrator.",
        );
      if (step === "sign-in") return new ApiError(401, "unauthorized", INCORRECT);
      if (step === "new-password")
        return new ApiError(401, "session_expired", "This sign-in has expired. Sign in again.");
      return new ApiError(401, "session_expired", "Your session has expired. Sign in again.");
    case "CodeMismatchException":
    case "ExpiredCodeException":
      return new ApiError(401, "session_expired", "This sign-in has expired. Sign in again.");
    case "InvalidParameterException":
      if (step === "refresh")
        return new ApiError(401, "session_expired", "Your session has expired. Sign in again.");
      return new ApiError(400, "invalid_request", message || "Cognito refused the request.");
    default:
      if (error instanceof TypeError || message === "Network error")
        return new ApiError(
          0,
          "network_error",
          "Could not reach the sign-in service. Check your connection and try again.",
        );
      return new ApiError(
        500,
        name ?? "cognito_error",
        message ? `Sign-in failed: ${message}` : "Sign-in failed. Try again.",
      );
  }
}
