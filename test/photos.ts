import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of real photographs shared by the tests and benchmarks: `RETOUCH_PHOTOS_DIR` when
 * set, otherwise `../shared/photos` beside the checkout, otherwise the project's shared folder on
 * this machine (`/work/shared/photos`, for a clone made elsewhere, e.g. in /tmp). Throws, naming
 * every place it looked, when none exists.
 *
 * @example
 * const bytes = await readFile(photoPath("fruits.jpg"));
 */
export function photosDir(): string {
  const candidates = process.env.RETOUCH_PHOTOS_DIR
    ? [process.env.RETOUCH_PHOTOS_DIR]
    : [fileURLToPath(new URL("../../shared/photos/", import.meta.url)), "/work/shared/photos/"];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) {
    throw new Error(`No test photos in ${candidates.join(" or ")}; set RETOUCH_PHOTOS_DIR to their folder`);
  }
  return found;
}

/** Absolute path of one photo from {@link photosDir}. */
export function photoPath(name: string): string {
  return join(photosDir(), name);
}
