import { createApiFromEnv } from "./api";
import { lazyHandler } from "./lazy-handler";

/** Entry of the `ImageEditBackend` function (API Gateway proxy); built on the first invocation. */
export const handler = lazyHandler(() => createApiFromEnv(process.env));
