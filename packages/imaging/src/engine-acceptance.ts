import { EngineRefusedError, ValidationError, type EngineCapabilities, type Operation } from "@retouch/core";

/**
 * Checks a request against an engine's capabilities: the operation must be one it offers and
 * `count` within its `maxResults`. The API calls it when an edit is created, so the user hears
 * at once; the pipeline calls it again before running.
 *
 * @throws EngineRefusedError (422) for an operation the engine lacks or too many results.
 * @throws ValidationError (400) for a count below 1.
 * @example
 * ```ts
 * assertEngineAccepts(engine.capabilities, "inpaint", 2);
 * ```
 */
export function assertEngineAccepts(caps: EngineCapabilities, operation: Operation, count: number): void {
  if (!caps.operations.includes(operation)) {
    throw new EngineRefusedError(
      `Engine '${caps.id}' does not support '${operation}'; it supports ${caps.operations.join(", ")}`,
    );
  }
  if (!Number.isInteger(count) || count < 1)
    throw new ValidationError("count must be a whole number of at least 1");
  if (count > caps.maxResults) {
    throw new EngineRefusedError(
      `Engine '${caps.id}' returns at most ${caps.maxResults} result${caps.maxResults === 1 ? "" : "s"} per edit; ` +
        `${count} were asked for`,
    );
  }
}
