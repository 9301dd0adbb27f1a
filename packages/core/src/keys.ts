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

/** Prefix of every upload still waiting for its completion step (see {@link uploadKey}). */
export const UPLOAD_PREFIX = "uploads/";

/**
 * Where the client's raw bytes for an image land before the upload is completed. Completion
 * writes the validated bytes to the image's own key and deletes this one, so whatever stays under
 * {@link UPLOAD_PREFIX} was abandoned; on AWS a lifecycle rule expires that prefix after a day.
 *
 * @example
 * ```ts
 * uploadKey("users/u1/source/img_1"); // "uploads/users/u1/source/img_1"
 * ```
 */
export function uploadKey(key: string): string {
  return `${UPLOAD_PREFIX}${key}`;
}

/** A new random id with a readable prefix, e.g. `img_…` or `edt_…`. */
export function newId(prefix: "img" | "edt" | "usr"): string {
  return `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;
}
