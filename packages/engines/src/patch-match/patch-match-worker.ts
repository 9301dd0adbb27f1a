import { parentPort, type MessagePort } from "node:worker_threads";
import { parallelBands, serveBands } from "./parallel-bands";
import { patchMatchFill, type FillInput } from "./patch-match-fill";

/**
 * A job for a pooled fill thread: coordinate one fill (with band helpers behind `helpers`), or
 * serve bands for another thread's fill over `port`. A thread takes one job at a time and stays
 * for the next.
 */
export type FillJob =
  | { role: "coordinator"; input: FillInput; helpers: MessagePort[]; finished: Int32Array }
  | { role: "helper"; port: MessagePort; finished: Int32Array };

const parent = parentPort;
if (!parent) throw new Error("patch-match-worker must run in a worker thread");
parent.on("message", (job: FillJob) => {
  if (job.role === "helper") {
    serveBands(job.port, job.finished);
    return;
  }
  const filled = patchMatchFill(
    job.input,
    { onProgress: (fraction) => parent.postMessage({ type: "progress", fraction }) },
    parallelBands(job.helpers, job.finished),
  );
  // Closing the channels releases the helpers' listeners, so they are free for the next fill.
  for (const helper of job.helpers) helper.close();
  parent.postMessage({ type: "done", data: filled }, [filled.buffer as ArrayBuffer]);
});
