import { basename, join } from "node:path";
import { SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { JobInterruptedError, type Job, type JobHandler, type JobQueue } from "@retouch/core";
import { createInProcessJobQueue, createSqsJobQueue, openSqlite, type SqliteDatabase } from "../src/index";
import { startSqsServer, type SqsServer } from "./local-aws";
import { tempDir } from "./support";

interface QueueFactory {
  name: string;
  /**
   * How jobs of a consumer that died come back: found by `start` (and counted in its report), or
   * delivered again by SQS once their visibility timeout ends (nothing to count at start).
   */
  recovery: "at-start" | "visibility-timeout";
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
  /**
   * Opens a queue on durable storage at `location`; opening the same location again sees the same
   * jobs. Each opening stands for one process: `close` ends it as a crash would.
   */
  open(
    location: string,
    options: { concurrency: number; maxAttempts: number },
  ): Promise<{ queue: JobQueue; close(): void }>;
}

let sqs: SqsServer;

/** Every JobQueue adapter. */
const QUEUES: QueueFactory[] = [
  {
    name: "in-process",
    recovery: "at-start",
    async open(location, options) {
      const db: SqliteDatabase = openSqlite(join(location, "jobs.db"));
      return { queue: createInProcessJobQueue({ db, ...options }), close: () => db.close() };
    },
  },
  {
    name: "sqs (local SQS server)",
    recovery: "visibility-timeout",
    async setUp() {
      sqs = await startSqsServer();
    },
    async tearDown() {
      await sqs.stop();
    },
    async open(location, options) {
      // The temp folder's name is unique per test and the same for every opening in it.
      const name = basename(location);
      const dlq = await sqs.createQueue(`${name}-dlq`);
      const queueUrl = await sqs.createQueue(name, { dlq, maxReceiveCount: options.maxAttempts + 1 });
      // Its own client, which `close` cuts off: no more heartbeats or deletes, like a dead process.
      const client = new SQSClient({
        endpoint: sqs.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
      let dead = false;
      client.middlewareStack.add(
        (next) => (args) => (dead ? Promise.reject(new Error("the process died")) : next(args)),
        { step: "initialize" },
      );
      // A one-second visibility timeout, so a dead consumer's jobs come back within a test.
      const queue = createSqsJobQueue({
        client,
        queueUrl,
        ...options,
        visibilityTimeoutSeconds: 1,
        waitTimeSeconds: 1,
      });
      return { queue, close: () => (dead = true) };
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
    const open = async (concurrency = 1, maxAttempts = 2) => {
      const q = await adapter.open(location.dir, { concurrency, maxAttempts });
      opened.push(q);
      return q;
    };

    beforeAll(async () => {
      await adapter.setUp?.();
    });
    afterAll(async () => {
      await adapter.tearDown?.();
    });
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
      const { queue } = await open(2);
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
      const { queue } = await open(1);
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
      const { queue } = await open(1);
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
      const { queue } = await open(1);
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
      const first = await open(1);
      await first.queue.enqueue({ editId: "later", attempt: 1 });
      first.close();
      // Act
      const second = await open(1);
      const h = recordingHandler();
      const report = await second.queue.start(h.handler);
      await until(() => h.started.length === 1, "the job");
      // Assess
      expect(report).toEqual({ requeued: 0, abandoned: 0, pending: 1 });
      expect(h.started[0]).toEqual({ editId: "later", attempt: 1 });
    });

    it("puts running jobs back on stop, to resume after a restart", async () => {
      // Prepare
      const first = await open(1);
      const h1 = recordingHandler();
      await first.queue.start(h1.handler);
      await first.queue.enqueue({ editId: "long", attempt: 1 });
      await until(() => h1.started.length === 1, "the job");
      // Act
      await first.queue.stop();
      first.close();
      const second = await open(1);
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
      const first = await open(1, 2);
      const h1 = recordingHandler();
      await first.queue.start(h1.handler);
      await first.queue.enqueue({ editId: "crashy", attempt: 1 });
      await until(() => h1.started.length === 1, "first run");
      first.close();
      // Act: restart; it runs again as attempt 2, and "dies" again
      const second = await open(1, 2);
      const h2 = recordingHandler();
      const secondReport = await second.queue.start(h2.handler);
      await until(() => h2.started.length === 1, "second run");
      second.close();
      const third = await open(1, 2);
      const h3 = recordingHandler();
      const thirdReport = await third.queue.start(h3.handler);
      await until(() => h3.abandoned.length === 1, "the abandonment");
      // Assess
      expect(h2.started[0]).toEqual({ editId: "crashy", attempt: 2 });
      expect(h3.started).toEqual([]);
      expect(h3.abandoned[0]?.job.editId).toBe("crashy");
      expect(h3.abandoned[0]?.reason).toMatch(/stopped.*attempt 2 of 2/);
      // SQS brings the job back by itself after its visibility timeout: `start` has nothing to count.
      if (adapter.recovery === "at-start") {
        expect(secondReport).toEqual({ requeued: 1, abandoned: 0, pending: 1 });
        expect(thirdReport).toEqual({ requeued: 0, abandoned: 1, pending: 0 });
      }
    });
  });
}
