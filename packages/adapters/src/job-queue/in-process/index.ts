import { JobInterruptedError, type Job, type JobHandler, type JobQueue } from "@retouch/core";
import { migrate, type SqliteDatabase } from "../../sqlite/database";

const MIGRATIONS = [
  `CREATE TABLE jobs (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     edit_id TEXT NOT NULL UNIQUE,
     attempt INTEGER NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('queued', 'running')),
     enqueued_at TEXT NOT NULL,
     started_at TEXT
   );`,
];

export interface InProcessJobQueueOptions {
  db: SqliteDatabase;
  /** Jobs run at the same time. */
  concurrency: number;
  /** Runs of one job (counting the first) before a job interrupted by a crash is abandoned. */
  maxAttempts: number;
  /** Called when a handler rejects; the queue goes on. */
  onError?: (error: unknown, job: Job) => void;
}

interface JobRow {
  edit_id: string;
  attempt: number;
}

/**
 * A durable in-process `JobQueue`: jobs are rows in SQLite, so queued jobs survive a restart,
 * and a job that was running when the process died is found at start-up and re-queued (or
 * abandoned with a reason once its attempts are used up) — never left stuck.
 *
 * @example
 * ```ts
 * const queue = createJobQueue({ db, concurrency: 1, maxAttempts: 2 });
 * await queue.start(new EditRunner(deps)); // recovers, then runs
 * await queue.enqueue({ editId: "edt_1", attempt: 1 });
 * ```
 */
export function createJobQueue(options: InProcessJobQueueOptions): JobQueue {
  const { db, concurrency, maxAttempts } = options;
  migrate(db, "jobs", MIGRATIONS);

  const statements = {
    insert: db.prepare(
      "INSERT OR IGNORE INTO jobs (edit_id, attempt, state, enqueued_at) VALUES (?, ?, 'queued', ?)",
    ),
    running: db.prepare("SELECT edit_id, attempt FROM jobs WHERE state = 'running' ORDER BY seq"),
    nextQueued: db.prepare("SELECT edit_id, attempt FROM jobs WHERE state = 'queued' ORDER BY seq LIMIT ?"),
    countQueued: db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE state = 'queued'"),
    markRunning: db.prepare(
      "UPDATE jobs SET state = 'running', started_at = ? WHERE edit_id = ? AND state = 'queued'",
    ),
    requeue: db.prepare("UPDATE jobs SET state = 'queued', attempt = ?, started_at = NULL WHERE edit_id = ?"),
    remove: db.prepare("DELETE FROM jobs WHERE edit_id = ?"),
    removeQueued: db.prepare("DELETE FROM jobs WHERE edit_id = ? AND state = 'queued'"),
  };

  let handler: JobHandler | null = null;
  let stopping = false;
  const inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>();

  const pump = () => {
    if (!handler || stopping) return;
    const free = concurrency - inFlight.size;
    if (free <= 0) return;
    for (const row of statements.nextQueued.all(free) as JobRow[]) {
      if (statements.markRunning.run(new Date().toISOString(), row.edit_id).changes === 0) continue;
      launch({ editId: row.edit_id, attempt: row.attempt }, handler);
    }
  };

  const launch = (job: Job, runner: JobHandler) => {
    const controller = new AbortController();
    const done = (async () => {
      try {
        await runner.run(job, controller.signal);
      } catch (error) {
        options.onError?.(error, job);
      }
      if (controller.signal.reason instanceof JobInterruptedError) {
        // Shutting down: the job goes back to the queue as it was, to resume on the next start.
        statements.requeue.run(job.attempt, job.editId);
      } else {
        statements.remove.run(job.editId);
      }
      inFlight.delete(job.editId);
      pump();
    })();
    inFlight.set(job.editId, { controller, done });
  };

  return {
    async enqueue(job) {
      statements.insert.run(job.editId, job.attempt, new Date().toISOString());
      pump();
    },

    async start(jobHandler) {
      let requeued = 0;
      let abandoned = 0;
      for (const row of statements.running.all() as JobRow[]) {
        const job = { editId: row.edit_id, attempt: row.attempt };
        if (row.attempt < maxAttempts) {
          statements.requeue.run(row.attempt + 1, row.edit_id);
          requeued++;
        } else {
          statements.remove.run(row.edit_id);
          await jobHandler.abandon(
            job,
            `The server stopped while this edit was running (attempt ${row.attempt} of ${maxAttempts})`,
          );
          abandoned++;
        }
      }
      const pending = (statements.countQueued.get() as { n: number }).n;
      handler = jobHandler;
      stopping = false;
      pump();
      return { requeued, abandoned, pending };
    },

    async cancel(editId) {
      const running = inFlight.get(editId);
      if (running) running.controller.abort(new DOMException("The edit was canceled", "AbortError"));
      else statements.removeQueued.run(editId);
    },

    async stop() {
      stopping = true;
      const running = [...inFlight.values()];
      for (const { controller } of running)
        controller.abort(new JobInterruptedError("the server is shutting down"));
      await Promise.all(running.map(({ done }) => done));
      handler = null;
    },
  };
}
