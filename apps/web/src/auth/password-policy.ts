/**
 * Cognito's default password policy, which the local server enforces too (so a password that
 * works locally works on AWS): at least 8 characters, a lowercase letter, an uppercase letter,
 * a number and a symbol. Shown as a checklist while the user types; the API has the last word.
 */
export interface PasswordRuleResult {
  id: "length" | "lowercase" | "uppercase" | "number" | "symbol";
  label: string;
  ok: boolean;
}

/** Cognito's accepted symbols (and the space). */
const SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

export function checkPassword(password: string): PasswordRuleResult[] {
  return [
    { id: "length", label: "At least 8 characters", ok: [...password].length >= 8 },
    { id: "lowercase", label: "A lowercase letter", ok: /[a-z]/.test(password) },
    { id: "uppercase", label: "An uppercase letter", ok: /[A-Z]/.test(password) },
    { id: "number", label: "A number", ok: /[0-9]/.test(password) },
    { id: "symbol", label: "A symbol", ok: [...password].some((ch) => SYMBOLS.includes(ch)) },
  ];
}

export function isPasswordValid(password: string): boolean {
  return checkPassword(password).every((rule) => rule.ok);
}
