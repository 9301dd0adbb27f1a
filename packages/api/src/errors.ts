import {
  InternalError,
  TooManyRequestsError,
  ValidationError,
  toHttpError,
  type HttpError,
} from "@retouch/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import type { AppEnv } from "./app-env";

/**
 * The one place errors become HTTP responses. Unknown errors are logged with their stack and
 * answered with a generic 500, so internals never reach the client.
 */
export function respondWithError(error: unknown, c: Context<AppEnv>): Response {
  const httpError = error instanceof HTTPException ? fromHonoException(error) : toHttpError(error);
  const log = c.get("logger");
  if (httpError.statusCode >= 500) log.error({ err: error }, "request failed");
  else log.info({ status: httpError.statusCode, code: httpError.code }, httpError.message);
  if (httpError instanceof TooManyRequestsError) c.header("Retry-After", String(httpError.retryAfterSeconds));
  // The unread rest of a too-large body would corrupt a reused connection.
  if (httpError.statusCode === 413) c.header("Connection", "close");
  return c.json(httpError.toJSON(), httpError.statusCode as ContentfulStatusCode);
}

/** Turns zod issues into a 400 that names each bad field. */
export function validationFailure(error: z.ZodError, target: string): ValidationError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  return new ValidationError(`Invalid ${target}: ${summary}`, { issues });
}

/** Hono's own exceptions (e.g. a body that is not JSON) in our error shape. */
function fromHonoException(error: HTTPException): HttpError {
  if (error.status === 400) return new ValidationError(`Malformed request: ${error.message}`);
  return new InternalError();
}
