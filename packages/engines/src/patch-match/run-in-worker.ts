import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import type { FillInput } from "./patch-match-fill";
import type { FillJob } from "./patch-match-worker";

/**
 * The worker module is TypeScript, so each thread registers tsx before importing it. Resolved on
 * first use, not at import, so bundles that never fill on the CPU (the Lambdas) don't need tsx.
 */
function workerBootstrap(): string {
  const workerUrl = new URL("./patch-match-worker.ts", import.meta.url).href;
  // The ESM build of tsx's API, found next to its CommonJS build (the only one `require.resolve` names).
  const tsxApiUrl = pathToFileURL(
    createRequire(import.meta.url)
      .resolve("tsx/esm/api")
      .replace(/index\.cjs$/, "index.mjs"),
  ).href;
  return `import(${JSON.stringify(tsxApiUrl)}).then(({ register }) => { register(); return import(${JSON.stringify(workerUrl)}); });`;
}

/**
 * Idle fill threads, kept because starting one (loading tsx and the fill code) takes about half a
 * second. Idle threads are unreferenced, so they never keep the process alive.
 */
const idle: Worker[] = [];

function acquire(): Worker {
  const reused = idle.pop();
  if (reused) {
    reused.ref();
    return reused;
  }
  const worker = new Worker(workerBootstrap(), { eval: true });
  // A thread that fails while idle just leaves the pool (an unhandled 'error' would crash us).
  worker.on("error", () => discard(worker));
  worker.on("exit", () => discard(worker));
  return worker;
}

function release(worker: Worker): void {
  worker.unref();
  if (idle.length < availableParallelism()) idle.push(worker);
  else void worker.terminate();
}

function discard(worker: Worker): void {
  const at = idle.indexOf(worker);
  if (at >= 0) idle.splice(at, 1);
}

/**
 * Fill threads running at once, across every job in this process, stay within the cores: a
 * second edit waits for threads instead of halving the speed of both (and doubling their memory).
 */
const threadBudget = {
  free: availableParallelism(),
  waiting: [] as { threads: number; start: () => void }[],
};

/** Resolves once `wanted` fill threads may run (at most every core); call the returned function to give them back. */
function reserveThreads(wanted: number, signal: AbortSignal): Promise<() => void> {
  const giveBack = () => {
    threadBudget.free += wanted;
    while (threadBudget.waiting.length && threadBudget.waiting[0]!.threads <= threadBudget.free) {
      threadBudget.waiting.shift()!.start();
    }
  };
  return new Promise((resolve, reject) => {
    const start = () => {
      signal.removeEventListener("abort", abort);
      threadBudget.free -= wanted;
      resolve(giveBack);
    };
    const entry = { threads: wanted, start };
    const abort = () => {
      threadBudget.waiting.splice(threadBudget.waiting.indexOf(entry), 1);
      reject(signal.reason);
    };
    if (!threadBudget.waiting.length && wanted <= threadBudget.free) return start();
    threadBudget.waiting.push(entry);
    signal.addEventListener("abort", abort, { once: true });
  });
}

type WorkerMessage = { type: "progress"; fraction: number } | { type: "done"; data: Uint8Array };

/**
 * Runs `patchMatchFill` off the main thread, on `threads` pooled threads (a coordinator and
 * helpers that share the bands of each level), so the event loop stays free; it waits while
 * other fills use every core. Aborting the signal terminates those threads at once and, when
 * they have ended, rejects with the signal's reason.
 *
 * @example
 * ```ts
 * const filled = await fillInWorker(input, AbortSignal.timeout(60_000), (f) => console.log(f), 2);
 * ```
 */
export async function fillInWorker(
  input: FillInput,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
  threads = 1,
): Promise<Uint8Array> {
  signal.throwIfAborted();
  const count = Math.min(threads, availableParallelism());
  const giveBack = await reserveThreads(count, signal);
  try {
    return await fillOnThreads(input, signal, onProgress, count);
  } finally {
    giveBack();
  }
}

function fillOnThreads(
  input: FillInput,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
  threads: number,
): Promise<Uint8Array> {
  const finished = new Int32Array(new SharedArrayBuffer(4));
  const channels = Array.from({ length: Math.max(0, threads - 1) }, () => new MessageChannel());
  const coordinator = acquire();
  const helpers = channels.map(() => acquire());
  const all = [coordinator, ...helpers];

  return new Promise((resolve, reject) => {
    const onMessage = (message: WorkerMessage) => {
      if (message.type === "progress") return onProgress(message.fraction);
      settle();
      all.forEach(release);
      resolve(message.data);
    };
    // Rejects only once every thread has ended, so a canceled fill uses no CPU after it settles.
    const fail = (error: unknown) => {
      settle();
      void Promise.allSettled(all.map((worker) => worker.terminate())).then(() => reject(error));
    };
    const onExit = (code: number) => fail(new Error(`The fill worker stopped early (exit code ${code})`));
    const abort = () => fail(signal.reason);
    const settle = () => {
      signal.removeEventListener("abort", abort);
      coordinator.off("message", onMessage);
      for (const worker of all) {
        worker.off("error", fail);
        worker.off("exit", onExit);
      }
    };
    signal.addEventListener("abort", abort, { once: true });
    coordinator.on("message", onMessage);
    for (const worker of all) {
      worker.on("error", fail);
      worker.on("exit", onExit);
    }
    helpers.forEach((worker, i) => {
      const port = channels[i]!.port2;
      worker.postMessage({ role: "helper", port, finished } satisfies FillJob, [port]);
    });
    const helperPorts: MessagePort[] = channels.map(({ port1 }) => port1);
    coordinator.postMessage(
      { role: "coordinator", input, helpers: helperPorts, finished } satisfies FillJob,
      helperPorts,
    );
  });
}
