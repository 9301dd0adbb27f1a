import type { ImageEngine } from "@retouch/core";
import { createFastMarchingEngine } from "./fast-marching/fast-marching-engine";
import { createPatchMatchEngine } from "./patch-match/patch-match-engine";

/**
 * The engines that run on this machine's CPU with nothing to download or configure.
 *
 * @example
 * ```ts
 * const registry = createEngineRegistry(createDefaultLocalEngines());
 * ```
 */
export function createDefaultLocalEngines(): ImageEngine[] {
  return [createPatchMatchEngine(), createFastMarchingEngine()];
}
