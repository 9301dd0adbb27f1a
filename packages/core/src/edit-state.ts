import { ConflictError } from "./errors";
import type { EditStatus } from "./schemas";

/**
 * The edit job's state machine. `running → queued` is the retry of a job whose worker died.
 */
const TRANSITIONS: Record<EditStatus, readonly EditStatus[]> = {
  queued: ["running", "canceled", "failed"],
  running: ["succeeded", "failed", "canceled", "queued"],
  succeeded: [],
  failed: [],
  canceled: [],
};

/** Statuses an edit never leaves. */
export const TERMINAL_STATUSES: readonly EditStatus[] = ["succeeded", "failed", "canceled"];

export function isTerminal(status: EditStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function canTransition(from: EditStatus, to: EditStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * Throws `ConflictError` (409) unless `from → to` is a legal move.
 *
 * @example
 * ```ts
 * assertTransition("queued", "running"); // ok
 * assertTransition("succeeded", "running"); // throws 409
 * ```
 */
export function assertTransition(from: EditStatus, to: EditStatus): void {
  if (!canTransition(from, to)) {
    throw new ConflictError(`An edit cannot go from '${from}' to '${to}'`);
  }
}

/** The statuses from which `to` may be reached; used for conditional writes in stores. */
export function allowedSources(to: EditStatus): EditStatus[] {
  return (Object.keys(TRANSITIONS) as EditStatus[]).filter((from) => TRANSITIONS[from].includes(to));
}
