import { parentPort, workerData } from "node:worker_threads";
import { removeBackground } from "@imgly/background-removal-node";
import type { MatteJob, MatteReply, MatteWorkerData } from "./matte-worker-client";

// One long-lived thread per engine: the ONNX session (loaded once, from the package's own
// files) runs synchronously inside onnxruntime-node, so it must not run on the main thread.
const port = parentPort;
if (!port) throw new Error("local-bg-worker must run in a worker thread");
const { publicPath, model } = workerData as MatteWorkerData;

port.on("message", (job: MatteJob) => {
  void cutOut(job).then(
    (data) =>
      port.postMessage({ id: job.id, type: "done", data } satisfies MatteReply, [data.buffer as ArrayBuffer]),
    (error: unknown) =>
      port.postMessage({
        id: job.id,
        type: "error",
        message: error instanceof Error ? error.message : String(error),
      } satisfies MatteReply),
  );
});

/** The image with its alpha replaced by the matte (never more opaque than it was). */
async function cutOut(job: MatteJob): Promise<Uint8Array> {
  const { width, height, data } = job;
  const input = new Blob([data], { type: `image/x-rgba8;width=${width};height=${height}` });
  const output = await removeBackground(input, { publicPath, model, output: { format: "image/x-rgba8" } });
  const matted = new Uint8Array(await output.arrayBuffer());
  if (matted.length !== data.length) {
    throw new Error(
      `The background removal model returned ${matted.length} bytes for ${width}×${height} RGBA`,
    );
  }
  for (let i = 3; i < matted.length; i += 4) matted[i] = Math.min(matted[i]!, data[i]!);
  return matted;
}
