import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import type { Logger } from "../logger";

/**
 * Gives each request a child logger with its id and logs one line when it ends. Only the
 * path is logged: query strings of signed URLs carry signatures.
 */
export function requestLog(logger: Logger) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    c.set("logger", logger.child({ requestId: c.get("requestId") }));
    await next();
    c.get("logger").info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round(performance.now() - started),
      },
      "request",
    );
  });
}
