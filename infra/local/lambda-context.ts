import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/**
 * The `context` Lambda passes a handler, for a local invocation of `functionName`: a fresh
 * request id and the time left until `timeoutMs` after the call started.
 *
 * @example
 * ```ts
 * await handler(event, lambdaContext("ImageEditBackend", 60_000, 1024));
 * ```
 */
export function lambdaContext(functionName: string, timeoutMs: number, memoryMb: number): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
