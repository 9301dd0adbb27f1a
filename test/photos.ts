import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of real photographs shared by the tests and benchmarks: `RETOUCH_PHOTOS_DIR` when set,
 * otherwise `../shared/photos` beside the checkout, so a clone anywhere finds them the same way.
 *
 * @example
 * const bytes = await readFile(photoPath("fruits.jpg"));
 */
export function photosDir(): string {
  return process.env.RETOUCH_PHOTOS_DIR ?? fileURLToPath(new URL("../../shared/photos/", import.meta.url));
}

/** Absolute path of one photo from {@link photosDir}. */
export function photoPath(name: string): string {
  return join(photosDir(), name);
}
