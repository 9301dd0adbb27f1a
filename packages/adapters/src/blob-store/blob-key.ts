import { ValidationError } from "@retouch/core";

const KEY_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9_./-]*$/;

/**
 * Blob keys are relative paths of safe characters; `..`, `.`, empty segments and absolute paths
 * are refused, so no key can escape its store (a folder on disk, a prefix in a bucket).
 *
 * @example
 * ```ts
 * assertBlobKey("users/u1/source/img_1"); // ok
 * assertBlobKey("../etc/passwd"); // throws ValidationError
 * ```
 */
export function assertBlobKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.split("/").some((part) => part === ".." || part === "." || part === "")) {
    throw new ValidationError(`Invalid blob key '${key}'`);
  }
}
