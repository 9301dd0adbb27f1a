/** A unit of work: run edit `editId`. `attempt` counts from 1. */
export interface Job {
  editId: string;
  attempt: number;
}

/** What the queue calls. Implemented by the edit runner. */
export interface JobHandler {
  /** Runs the job. Resolving or rejecting both finish it; the handler records its own outcome. */
  run(job: Job, signal: AbortSignal): Promise<void>;
  /** The job can no longer run (its worker died too often); the handler records why. */
  abandon(job: Job, reason: string): Promise<void>;
}

/**
 * Runs edit jobs outside the HTTP request that created them. Adapters: `in-process`
 * (durable in SQLite, concurrency-limited), `sqs` (AWS).
 */
export interface JobQueue {
  enqueue(job: Job): Promise<void>;
  /**
   * Starts consuming. Durable adapters first recover: jobs that were running when the process
   * died are re-queued (or abandoned with a reason once attempts run out).
   */
  start(handler: JobHandler): Promise<{ requeued: number; abandoned: number; pending: number }>;
  /** Aborts the job's signal if it is running here; drops it if it is still queued. */
  cancel(editId: string): Promise<void>;
  /** Stops taking jobs and waits for running ones to settle (their signals are aborted). */
  stop(): Promise<void>;
}
