import { ValidationError, type EngineCapabilities, type ImageEngine } from "@retouch/core";

/**
 * The engines a deployment offers, by id.
 *
 * @example
 * ```ts
 * if (registry.has(request.engine)) registry.get(request.engine).capabilities.maxResults;
 * ```
 */
export interface EngineRegistry {
  /** Throws `ValidationError` (400) naming the available engines when `id` is unknown. */
  get(id: string): ImageEngine;
  list(): EngineCapabilities[];
  has(id: string): boolean;
}

/**
 * A registry of `engines`, in the given order. Two engines with one id are a wiring mistake
 * and throw at once.
 *
 * @example
 * ```ts
 * const engines = createEngineRegistry(createDefaultLocalEngines());
 * engines.get("local-fill").capabilities.operations; // ["inpaint", "erase", "outpaint"]
 * engines.get("dall-e"); // ValidationError: Unknown engine 'dall-e'; available: local-fill
 * ```
 */
export function createEngineRegistry(engines: ImageEngine[]): EngineRegistry {
  const byId = new Map<string, ImageEngine>();
  for (const engine of engines) {
    const id = engine.capabilities.id;
    if (byId.has(id)) throw new Error(`Two engines share the id '${id}'`);
    byId.set(id, engine);
  }
  return {
    get(id) {
      const engine = byId.get(id);
      if (!engine) {
        const available = [...byId.keys()].join(", ") || "none";
        throw new ValidationError(`Unknown engine '${id}'; available: ${available}`);
      }
      return engine;
    },
    list: () => engines.map((engine) => engine.capabilities),
    has: (id) => byId.has(id),
  };
}
