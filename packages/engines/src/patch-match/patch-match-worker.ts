import { parentPort, workerData } from "node:worker_threads";
import { patchMatchFill, type FillInput } from "./patch-match-fill";

// Runs one fill off the main thread; the engine starts one of these per result.
const port = parentPort;
if (!port) throw new Error("patch-match-worker must run in a worker thread");
const filled = patchMatchFill(workerData as FillInput, {
  onProgress: (fraction) => port.postMessage({ type: "progress", fraction }),
});
port.postMessage({ type: "done", data: filled }, [filled.buffer as ArrayBuffer]);
