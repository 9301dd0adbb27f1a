import { pino, type Logger } from "pino";

export type { Logger };

/** Paths pino replaces with "[redacted]" wherever they appear in a log line. */
const REDACTED = [
  "password",
  "newPassword",
  "temporaryPassword",
  "session",
  "refreshToken",
  "accessToken",
  "idToken",
  "authorization",
  "*.password",
  "*.newPassword",
  "*.temporaryPassword",
  "*.session",
  "*.refreshToken",
  "*.accessToken",
  "*.idToken",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
];

/**
 * Structured JSON logs. Secrets are redacted by key wherever they appear; request logs carry
 * paths without query strings (signed URLs keep their signatures there).
 *
 * @example
 * ```ts
 * const logger = createLogger("info");
 * logger.info({ editId }, "edit queued");
 * ```
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACTED, censor: "[redacted]" }, base: { service: "retouch" } },
    destination,
  );
}
