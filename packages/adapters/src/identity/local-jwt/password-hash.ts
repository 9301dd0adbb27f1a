import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

const scrypt = (password: string, salt: Buffer, length: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

/** OWASP's minimum for scrypt; about 50 ms and 16 MiB per hash. */
const PARAMS = { N: 16384, r: 8, p: 1, keylen: 32 };
/** Room for stronger parameters in stored hashes (N=2^17, r=8 needs 128 MiB). */
const MAX_MEMORY = 256 * 1024 * 1024;

/**
 * Hashes a password with scrypt (node:crypto) and a random 16-byte salt. The parameters travel
 * with the hash (`scrypt$N$r$p$salt$hash`, base64url), so they can be raised later without
 * breaking old hashes. Passwords are NFKC-normalised first, so the same visible password
 * typed on different keyboards matches.
 *
 * @example
 * ```ts
 * const stored = await hashPassword("Tr0ub4dor&3"); // "scrypt$16384$8$1$…$…"
 * await verifyPassword("Tr0ub4dor&3", stored); // true
 * ```
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize("NFKC"), salt, PARAMS.keylen, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join(
    "$",
  );
}

/**
 * Whether `password` matches a hash made by `hashPassword`, compared in constant time. A
 * malformed hash or bad parameters give `false`, never an exception.
 *
 * @example
 * ```ts
 * if (!(await verifyPassword(input, row.password_hash))) throw new UnauthorizedError("…");
 * ```
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split("$");
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  if (scheme !== "scrypt" || rest.length > 0 || !salt || !hash) return false;
  if (![N, R, P].every((v) => Number.isSafeInteger(v) && v > 0)) return false;
  const expected = Buffer.from(hash, "base64url");
  if (expected.length < 16) return false;
  try {
    const key = await scrypt(password.normalize("NFKC"), Buffer.from(salt, "base64url"), expected.length, {
      N,
      r: R,
      p: P,
      maxmem: MAX_MEMORY,
    });
    return timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash of a random password nobody knows, with the current parameters. Sign-in verifies
 * against it when the user does not exist, so an unknown name costs the same time as a wrong
 * password and timing reveals nothing. Computed once per process.
 *
 * @example
 * ```ts
 * const ok = await verifyPassword(password, user?.password_hash ?? (await dummyPasswordHash()));
 * ```
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
}
