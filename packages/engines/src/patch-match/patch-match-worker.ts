import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { parallelBands, serveBands } from "./parallel-bands";
import { patchMatchFill, type FillInput } from "./patch-match-fill";

/** What `fillInWorker` gives each thread of one fill: one coordinator and its band helpers. */
export type FillWorkerData =
  | { role: "coordinator"; input: FillInput; helpers: MessagePort[]; finished: Int32Array }
  | { role: "helper"; port: MessagePort; finished: Int32Array };

const port = parentPort;
if (!port) throw new Error("patch-match-worker must run in a worker thread");
const data = workerData as FillWorkerData;
if (data.role === "helper") {
  serveBands(data.port, data.finished);
} else {
  const filled = patchMatchFill(
    data.input,
    { onProgress: (fraction) => port.postMessage({ type: "progress", fraction }) },
    parallelBands(data.helpers, data.finished),
  );
  port.postMessage({ type: "done", data: filled }, [filled.buffer as ArrayBuffer]);
}
