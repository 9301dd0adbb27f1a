import type { ImagePurpose } from "./schemas";

/**
 * Blob key of an image. Every image lives under its owner's prefix, so a bucket policy or a
 * directory listing can be scoped per user.
 *
 * @example
 * ```ts
 * imageKey("u1", "source", "img_1"); // "users/u1/source/img_1"
 * ```
 */
export function imageKey(userId: string, purpose: ImagePurpose, imageId: string): string {
  return `users/${userId}/${purpose}/${imageId}`;
}

/** A new random id with a readable prefix, e.g. `img_…` or `edt_…`. */
export function newId(prefix: "img" | "edt" | "usr"): string {
  return `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;
}
