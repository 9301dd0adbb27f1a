import { lazyHandler } from "./lazy-handler";
import { createWorkerFromEnv } from "./worker";

/** Entry of the `ImageEditWorker` function (SQS event source); built on the first invocation. */
export const handler = lazyHandler(() => createWorkerFromEnv(process.env));
