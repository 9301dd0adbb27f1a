import { createRequire } from "node:module";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/** What the worker is started with. */
export interface MatteWorkerData {
  /** `file://` folder holding the model's `resources.json` and chunks. */
  publicPath: string;
  model: "small" | "medium";
}

/** One image to cut out, RGBA. */
export interface MatteJob {
  id: number;
  width: number;
  height: number;
  data: Uint8Array;
}

export type MatteReply =
  { id: number; type: "done"; data: Uint8Array } | { id: number; type: "error"; message: string };

const require = createRequire(import.meta.url);
/**
 * The package ships its ONNX weights next to its code (`dist/resources.json` and hashed chunks).
 * Its default `publicPath` is resolved from the working directory, so it is pinned here to the
 * installed package: the model is always read from disk, never fetched.
 */
export const IMGLY_PUBLIC_PATH = pathToFileURL(
  `${dirname(require.resolve("@imgly/background-removal-node"))}/`,
).href;

const WORKER_URL = new URL("./local-bg-worker.ts", import.meta.url).href;
// The ESM build of tsx's API, found next to its CommonJS build (the only one `require.resolve` names).
const TSX_API_URL = pathToFileURL(require.resolve("tsx/esm/api").replace(/index\.cjs$/, "index.mjs")).href;
// The package ships TypeScript source; the worker registers tsx before loading its module.
const BOOTSTRAP = `import(${JSON.stringify(TSX_API_URL)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL)}); });`;

/** How long an idle thread keeps the model loaded (it holds ~850 MB) before it is ended. */
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;

/**
 * A long-lived worker thread that cuts images out, one at a time, keeping the model loaded
 * between jobs and ending itself after `idleTimeoutMs` without work, which frees the model's
 * memory. The thread holds the process open only while a job runs. Aborting a running job
 * terminates the thread (inference cannot be interrupted otherwise); the next job starts a new
 * one, which loads the model again.
 *
 * @example
 * ```ts
 * const client = new MatteWorkerClient("medium");
 * const rgba = await client.cutOut(image, AbortSignal.timeout(300_000));
 * ```
 */
export class MatteWorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly waiting = new Map<
    number,
    { resolve(data: Uint8Array): void; reject(error: Error): void }
  >();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly model: "small" | "medium",
    private readonly idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
  ) {}

  /** Whether a thread (and so a loaded or loading model) exists. */
  get threadRunning(): boolean {
    return this.worker !== null;
  }

  /** The image's RGBA with the background made transparent; jobs run in the order they came. */
  cutOut(
    image: { width: number; height: number; data: Uint8Array },
    signal: AbortSignal,
  ): Promise<Uint8Array> {
    const run = this.queue.then(() => this.runOne(image, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private runOne(
    image: { width: number; height: number; data: Uint8Array },
    signal: AbortSignal,
  ): Promise<Uint8Array> {
    signal.throwIfAborted();
    clearTimeout(this.idleTimer);
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      const onAbort = () => {
        this.waiting.delete(id);
        this.stop(worker);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      const settle = () => {
        signal.removeEventListener("abort", onAbort);
        this.waiting.delete(id);
        worker.unref();
        this.idleTimer = setTimeout(() => this.stop(worker), this.idleTimeoutMs);
        this.idleTimer.unref();
      };
      this.waiting.set(id, {
        resolve: (data) => (settle(), resolve(data)),
        reject: (error) => (settle(), reject(error)),
      });
      worker.ref();
      const job: MatteJob = { id, width: image.width, height: image.height, data: image.data };
      worker.postMessage(job);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const data: MatteWorkerData = { publicPath: IMGLY_PUBLIC_PATH, model: this.model };
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: data });
    worker.unref();
    worker.on("message", (reply: MatteReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      if (reply.type === "done") waiter.resolve(reply.data);
      else waiter.reject(new Error(`Background removal failed: ${reply.message}`));
    });
    const failAll = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiter of [...this.waiting.values()]) waiter.reject(error);
    };
    worker.on("error", (error) =>
      failAll(new Error(`The background removal worker failed: ${error.message}`)),
    );
    worker.on("exit", (code) =>
      failAll(new Error(`The background removal worker stopped (exit code ${code})`)),
    );
    this.worker = worker;
    return worker;
  }

  private stop(worker: Worker): void {
    if (this.worker === worker) this.worker = null;
    void worker.terminate();
  }
}
