import { HttpError } from "@retouch/core";

/** A problem the user can fix; printed as one line, exit code 1 (2 for usage errors). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** One clear line on stderr for anything a command throws. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof HttpError) return { message: error.message, exitCode: 1 };
  const code = (error as NodeJS.ErrnoException)?.code;
  const path = (error as NodeJS.ErrnoException)?.path;
  if (code === "ENOENT" && path) return { message: `No such file: ${path}`, exitCode: 1 };
  if (code === "EACCES" && path) return { message: `Permission denied: ${path}`, exitCode: 1 };
  if (code === "EISDIR" && path)
    return { message: `Expected a file but found a directory: ${path}`, exitCode: 1 };
  return { message: error instanceof Error ? error.message : String(error), exitCode: 1 };
}
