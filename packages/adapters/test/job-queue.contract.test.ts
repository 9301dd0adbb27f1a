import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JobInterruptedError, type Job, type JobHandler, type JobQueue } from "@retouch/core";
import { createInProcessJobQueue, openSqlite, type SqliteDatabase } from "../src/index";
import { tempDir } from "./support";

interface QueueFactory {
  name: string;
  /** Opens a queue on durable storage at `location`; opening the same location again sees the same jobs. */
  open(
    location: string,
    options: { concurrency: number; maxAttempts: number },
  ): { queue: JobQueue; close(): void };
}

/** Every JobQueue adapter; SQS (on a local emulator) adds one entry later. */
const QUEUES: QueueFactory[] = [
  {
    name: "in-process",
    open(location, options) {
      const db: SqliteDatabase = openSqlite(join(location, "jobs.db"));
      return { queue: createInProcessJobQueue({ db, ...options }), close: () => db.close() };
    },
  },
];

/** A handler that records what it ran and lets a test decide when each job ends. */
function recordingHandler() {
  const started: Job[] = [];
  const abandoned: { job: Job; reason: string }[] = [];
  const signals = new Map<string, AbortSignal>();
  const finishers = new Map<string, (error?: Error) => void>();
  let inFlight = 0;
  let maxInFlight = 0;
  const handler: JobHandler = {
    run(job, signal) {
      started.push(job);
      signals.set(job.editId, signal);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<void>((resolve, reject) => {
        const finish = (error?: Error) => {
          inFlight--;
          if (error) reject(error);
          else resolve();
        };
        finishers.set(job.editId, finish);
        signal.addEventListener("abort", () => finish(signal.reason as Error));
      });
    },
    async abandon(job, reason) {
      abandoned.push({ job, reason });
    },
  };
  return {
    handler,
    started,
    abandoned,
    signals,
    finish: (id: string, error?: Error) => finishers.get(id)?.(error),
    maxInFlight: () => maxInFlight,
  };
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await tick(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

for (const adapter of QUEUES) {
  describe(`JobQueue contract: ${adapter.name}`, () => {
    let location: { dir: string; remove(): Promise<void> };
    const opened: { queue: JobQueue; close(): void }[] = [];
    const open = (concurrency = 1, maxAttempts = 2) => {
      const q = adapter.open(location.dir, { concurrency, maxAttempts });
      opened.push(q);
      return q;
    };

    beforeEach(async () => {
      location = await tempDir("queue");
    });
    afterEach(async () => {
      for (const q of opened.splice(0)) {
        await q.queue.stop().catch(() => undefined);
        try {
          q.close();
        } catch {
          // already closed by the test
        }
      }
      await location.remove();
    });

    it("runs jobs in order, never more than the concurrency limit at once", async () => {
      // Prepare
      const { queue } = open(2);
      const h = recordingHandler();
      await queue.start(h.handler);
      // Act
      for (const id of ["a", "b", "c", "d", "e"]) await queue.enqueue({ editId: id, attempt: 1 });
      await until(() => h.started.length === 2, "two running");
      for (const id of ["a", "b", "c", "d", "e"]) {
        await until(() => h.started.some((j) => j.editId === id), `${id} to start`);
        h.finish(id);
      }
      await until(() => h.started.length === 5, "all started");
      // Assess
      expect(h.started.map((j) => j.editId)).toEqual(["a", "b", "c", "d", "e"]);
      expect(h.maxInFlight()).toBe(2);
    });

    it("ignores enqueueing an id that is already waiting", async () => {
      const { queue } = open(1);
      const h = recordingHandler();
      await queue.start(h.handler);
      await queue.enqueue({ editId: "a", attempt: 1 });
      await queue.enqueue({ editId: "b", attempt: 1 });
      await queue.enqueue({ editId: "b", attempt: 1 });
      h.finish("a");
      await until(() => h.started.length === 2, "b");
      h.finish("b");
      await tick(50);
      expect(h.started.map((j) => j.editId)).toEqual(["a", "b"]);
    });

    it("drops a canceled queued job and aborts a canceled running one", async () => {
      // Prepare
      const { queue } = open(1);
      const h = recordingHandler();
      await queue.start(h.handler);
      await queue.enqueue({ editId: "running", attempt: 1 });
      await queue.enqueue({ editId: "waiting", attempt: 1 });
      await until(() => h.started.length === 1, "first job");
      // Act
      await queue.cancel("waiting");
      await queue.cancel("running");
      await tick(50);
      // Assess
      expect(h.signals.get("running")?.aborted).toBe(true);
      expect(h.started.map((j) => j.editId)).toEqual(["running"]);
    });

    it("goes on after a handler rejects", async () => {
      const { queue } = open(1);
      const h = recordingHandler();
      await queue.start(h.handler);
      await queue.enqueue({ editId: "bad", attempt: 1 });
      await queue.enqueue({ editId: "good", attempt: 1 });
      await until(() => h.started.length === 1, "bad");
      h.finish("bad", new Error("boom"));
      await until(() => h.started.length === 2, "good");
      expect(h.started[1]?.editId).toBe("good");
    });

    it("keeps queued jobs across a restart", async () => {
      // Prepare: enqueue with nobody consuming, then close
      const first = open(1);
      await first.queue.enqueue({ editId: "later", attempt: 1 });
      first.close();
      // Act
      const second = open(1);
      const h = recordingHandler();
      const report = await second.queue.start(h.handler);
      await until(() => h.started.length === 1, "the job");
      // Assess
      expect(report).toEqual({ requeued: 0, abandoned: 0, pending: 1 });
      expect(h.started[0]).toEqual({ editId: "later", attempt: 1 });
    });

    it("puts running jobs back on stop, to resume after a restart", async () => {
      // Prepare
      const first = open(1);
      const h1 = recordingHandler();
      await first.queue.start(h1.handler);
      await first.queue.enqueue({ editId: "long", attempt: 1 });
      await until(() => h1.started.length === 1, "the job");
      // Act
      await first.queue.stop();
      first.close();
      const second = open(1);
      const h2 = recordingHandler();
      const report = await second.queue.start(h2.handler);
      await until(() => h2.started.length === 1, "the job again");
      // Assess
      expect(h1.signals.get("long")?.reason).toBeInstanceOf(JobInterruptedError);
      expect(report.requeued).toBe(0);
      expect(h2.started[0]).toEqual({ editId: "long", attempt: 1 });
    });

    it("retries a job whose process died while it ran, then abandons it with a reason", async () => {
      // Prepare: a job is running when the process "dies" (storage closed, no stop)
      const first = open(1, 2);
      const h1 = recordingHandler();
      await first.queue.start(h1.handler);
      await first.queue.enqueue({ editId: "crashy", attempt: 1 });
      await until(() => h1.started.length === 1, "first run");
      first.close();
      // Act: restart; it runs again as attempt 2, and "dies" again
      const second = open(1, 2);
      const h2 = recordingHandler();
      const secondReport = await second.queue.start(h2.handler);
      await until(() => h2.started.length === 1, "second run");
      second.close();
      const third = open(1, 2);
      const h3 = recordingHandler();
      const thirdReport = await third.queue.start(h3.handler);
      await tick(50);
      // Assess
      expect(secondReport).toEqual({ requeued: 1, abandoned: 0, pending: 1 });
      expect(h2.started[0]).toEqual({ editId: "crashy", attempt: 2 });
      expect(thirdReport).toEqual({ requeued: 0, abandoned: 1, pending: 0 });
      expect(h3.started).toEqual([]);
      expect(h3.abandoned[0]?.job.editId).toBe("crashy");
      expect(h3.abandoned[0]?.reason).toMatch(/server stopped.*attempt 2 of 2/);
    });
  });
}
