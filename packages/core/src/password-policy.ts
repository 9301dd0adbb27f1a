/** One rule of the password policy, with the text a user sees. */
export interface PasswordRule {
  id: "length" | "lowercase" | "uppercase" | "number" | "symbol";
  label: string;
  test(password: string): boolean;
}

const SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/**
 * Cognito's default password policy: at least 8 characters with a lowercase letter, an
 * uppercase letter, a number and a symbol. The local identity enforces the same rules so a
 * password that works locally works on AWS.
 *
 * @example
 * ```ts
 * checkPassword("hunter2").filter((r) => !r.ok).map((r) => r.label);
 * ```
 */
export const PASSWORD_POLICY: readonly PasswordRule[] = [
  { id: "length", label: "at least 8 characters", test: (p) => [...p].length >= 8 },
  { id: "lowercase", label: "a lowercase letter", test: (p) => /[a-z]/.test(p) },
  { id: "uppercase", label: "an uppercase letter", test: (p) => /[A-Z]/.test(p) },
  { id: "number", label: "a number", test: (p) => /[0-9]/.test(p) },
  { id: "symbol", label: "a symbol", test: (p) => [...p].some((ch) => SYMBOLS.includes(ch)) },
];

/** Every rule with whether `password` meets it. */
export function checkPassword(password: string): { id: PasswordRule["id"]; label: string; ok: boolean }[] {
  return PASSWORD_POLICY.map((rule) => ({ id: rule.id, label: rule.label, ok: rule.test(password) }));
}

/** The labels of the rules `password` breaks; empty when it is acceptable. */
export function passwordProblems(password: string): string[] {
  return checkPassword(password)
    .filter((r) => !r.ok)
    .map((r) => r.label);
}
