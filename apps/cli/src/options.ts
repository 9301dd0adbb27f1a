import { CliError } from "./fail";
import type { ConfigInput } from "@retouch/core";

/** Maps the flags shared by commands onto configuration overrides (flags win over RETOUCH_*). */
export function configFlags(flags: {
  port?: string;
  host?: string;
  dataDir?: string;
  engine?: string;
}): ConfigInput {
  return {
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.host !== undefined ? { host: flags.host } : {}),
    ...(flags.dataDir !== undefined ? { dataDir: flags.dataDir } : {}),
    ...(flags.engine !== undefined ? { defaultEngine: flags.engine } : {}),
  };
}

/** Parses a non-negative integer flag or throws a message naming the flag. */
export function integerFlag(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}, not '${value}'`, 2);
  }
  return parsed;
}
