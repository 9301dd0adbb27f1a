import { randomInt } from "node:crypto";

const CLASSES = ["abcdefghijkmnopqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "!#%+-=?@^_"];

/**
 * A random 16-character temporary password with every character class Cognito's default
 * policy asks for (look-alike characters left out, since people type it once by hand).
 *
 * @example
 * ```ts
 * generateTemporaryPassword(); // e.g. "k7R!vQm2x#Pe9sTa"
 * ```
 */
export function generateTemporaryPassword(length = 16): string {
  const all = CLASSES.join("");
  const chars = CLASSES.map((set) => set[randomInt(set.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}
