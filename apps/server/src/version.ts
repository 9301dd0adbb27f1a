import { createRequire } from "node:module";

/** The project's version, from the root package.json. */
export const version: string = (
  createRequire(import.meta.url)("../../../package.json") as { version: string }
).version;
