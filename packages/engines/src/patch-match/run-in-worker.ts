import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { FillInput } from "./patch-match-fill";

const WORKER_URL = new URL("./patch-match-worker.ts", import.meta.url).href;
// The ESM build of tsx's API, found next to its CommonJS build (the only one `require.resolve` names).
const TSX_API_URL = pathToFileURL(
  createRequire(import.meta.url)
    .resolve("tsx/esm/api")
    .replace(/index\.cjs$/, "index.mjs"),
).href;
// The package ships TypeScript source; the worker registers tsx before loading its module.
const BOOTSTRAP = `import(${JSON.stringify(TSX_API_URL)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL)}); });`;

type WorkerMessage = { type: "progress"; fraction: number } | { type: "done"; data: Uint8Array };

/**
 * Runs `patchMatchFill` in its own worker thread, so the event loop stays free. Aborting the
 * signal terminates the thread at once and rejects with the signal's reason.
 *
 * @example
 * ```ts
 * const filled = await fillInWorker(input, AbortSignal.timeout(60_000), (f) => console.log(f));
 * ```
 */
export function fillInWorker(
  input: FillInput,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
): Promise<Uint8Array> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: input });
    const abort = () => {
      void worker.terminate();
      reject(signal.reason);
    };
    signal.addEventListener("abort", abort, { once: true });
    const finish = () => signal.removeEventListener("abort", abort);
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "progress") return onProgress(message.fraction);
      finish();
      resolve(message.data);
      void worker.terminate();
    });
    worker.on("error", (error) => {
      finish();
      reject(error);
    });
    worker.on("exit", (code) => {
      finish();
      if (!signal.aborted) reject(new Error(`The fill worker stopped early (exit code ${code})`));
    });
  });
}
