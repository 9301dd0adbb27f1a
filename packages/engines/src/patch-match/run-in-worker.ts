import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import type { FillInput } from "./patch-match-fill";
import type { FillWorkerData } from "./patch-match-worker";

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

type WorkerMessage = { type: "progress"; fraction: number } | { type: "done"; data: Uint8Array };

/**
 * Runs `patchMatchFill` off the main thread, on `threads` threads (a coordinator and helpers that
 * share the bands of each level), so the event loop stays free. Aborting the signal terminates
 * every thread at once and rejects with the signal's reason.
 *
 * @example
 * ```ts
 * const filled = await fillInWorker(input, AbortSignal.timeout(60_000), (f) => console.log(f), 2);
 * ```
 */
export function fillInWorker(
  input: FillInput,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
  threads = 1,
): Promise<Uint8Array> {
  signal.throwIfAborted();
  const bootstrap = workerBootstrap();
  const finished = new Int32Array(new SharedArrayBuffer(4));
  const channels = Array.from({ length: Math.max(0, threads - 1) }, () => new MessageChannel());
  const start = (data: FillWorkerData, transfer: MessagePort[]) =>
    new Worker(bootstrap, { eval: true, workerData: data, transferList: transfer });
  const helpers = channels.map(({ port2 }) => start({ role: "helper", port: port2, finished }, [port2]));
  const helperPorts = channels.map(({ port1 }) => port1);
  const coordinator = start({ role: "coordinator", input, helpers: helperPorts, finished }, helperPorts);
  const all = [coordinator, ...helpers];
  const stopAll = () => all.forEach((worker) => void worker.terminate());

  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => {
      finish();
      stopAll();
      reject(error);
    };
    const abort = () => fail(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    const finish = () => signal.removeEventListener("abort", abort);
    coordinator.on("message", (message: WorkerMessage) => {
      if (message.type === "progress") return onProgress(message.fraction);
      finish();
      stopAll();
      resolve(message.data);
    });
    for (const worker of all) {
      worker.on("error", fail);
      worker.on("exit", (code) => {
        if (!signal.aborted && worker === coordinator)
          fail(new Error(`The fill worker stopped early (exit code ${code})`));
      });
    }
  });
}
