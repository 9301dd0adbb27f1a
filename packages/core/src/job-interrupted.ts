/**
 * The abort reason a job queue uses when it stops (shutdown) rather than cancels: the job is
 * put back in the queue, and its edit goes back to `queued` instead of `canceled`.
 *
 * @example
 * ```ts
 * controller.abort(new JobInterruptedError("the server is shutting down"));
 * if (signal.reason instanceof JobInterruptedError) { ...requeue... }
 * ```
 */
export class JobInterruptedError extends Error {
  override readonly name = "JobInterruptedError";
}
