/**
 * Thrown by a job handler for a delivery of a job whose edit is already running as this attempt
 * or a later one (SQS delivers at least once). The queue must not acknowledge it: the message
 * comes back after its visibility timeout, when the live run has finished (the delivery is then
 * acknowledged) or died (the later receive takes over).
 *
 * @example
 * ```ts
 * throw new JobBusyError("edt_1", 2);
 * ```
 */
export class JobBusyError extends Error {
  override readonly name = "JobBusyError";

  constructor(
    readonly editId: string,
    readonly runningAttempt: number,
  ) {
    super(
      `Edit '${editId}' is already running as attempt ${runningAttempt}; this delivery will come back later`,
    );
  }
}
