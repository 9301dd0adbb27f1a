import { ValidationError, passwordProblems } from "@retouch/core";

/**
 * Throws a `ValidationError` naming every rule of the password policy that `password` breaks,
 * in the policy's order; the labels are also in `details.problems` for a client to tick off.
 *
 * @example
 * ```ts
 * assertPasswordPolicy("password");
 * // ValidationError: Password must contain: an uppercase letter, a number, a symbol
 * ```
 */
export function assertPasswordPolicy(password: string): void {
  const problems = passwordProblems(password);
  if (problems.length > 0) {
    throw new ValidationError(`Password must contain: ${problems.join(", ")}`, { problems });
  }
}
