import { randomInt } from "node:crypto";

/** The stack's minimum length (`infra/src/auth.ts`); every character class is required there too. */
const STACK_MINIMUM_LENGTH = 8;

const LOWER = "abcdefghijkmnopqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";
// Symbols Cognito accepts that survive copying from a terminal and pasting into a shell or form
// (no quotes, backslash, backtick or space). Look-alikes (l, 1, O, 0, I) are left out above.
const SYMBOLS = "!#%*+-=?@^_";

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)]!;
}

/**
 * A random temporary password of at least 16 characters (more if the pool's minimum is higher)
 * with a lowercase letter, an uppercase letter, a digit and a symbol in random positions, so it
 * satisfies any Cognito password policy.
 *
 * @example
 * ```ts
 * generateTemporaryPassword(); // e.g. "t7#Kq9vR_mZ2xw-P"
 * ```
 */
export function generateTemporaryPassword(minimumLength = STACK_MINIMUM_LENGTH): string {
  const length = Math.max(16, minimumLength);
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  while (chars.length < length) chars.push(pick(all));
  // Fisher–Yates, so the required classes are not always at the front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}
