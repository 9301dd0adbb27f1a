import { z } from "zod";
import { CliError } from "../fail";

/** The stack `infra/src/app.ts` deploys when no `stackName` context is given. */
export const STACK_NAME = "Retouch";

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "must be an AWS region code such as us-west-2");
// Cognito usernames: 1–128 characters, no whitespace; not an email, since the pool also signs in by email.
const username = z
  .string()
  .regex(/^[\p{L}\p{M}\p{N}._+-]{1,128}$/u, "must be 1–128 letters, digits or . _ + -");

const deployFlags = z.object({
  region: region.optional(),
  // Required: the user pool requires an email, and the first user's invitation goes there.
  adminEmail: z.email({
    error: (issue) =>
      issue.input === undefined
        ? "is required: the first user's email (the user pool requires one)"
        : "must be an email address",
  }),
  adminUsername: username.default("admin"),
  keepData: z.boolean().optional(),
  yes: z.boolean().default(false),
});
const destroyFlags = z.object({
  region: region.optional(),
  keepData: z.boolean().default(false),
  yes: z.boolean().default(false),
});
const statusFlags = z.object({ region: region.optional(), json: z.boolean().default(false) });

export type DeployFlags = z.infer<typeof deployFlags>;
export type DestroyFlags = z.infer<typeof destroyFlags>;
export type StatusFlags = z.infer<typeof statusFlags>;

const FLAG_NAMES: Record<string, string> = {
  region: "--region",
  adminEmail: "--admin-email",
  adminUsername: "--admin-username",
  keepData: "--keep-data",
  yes: "--yes",
  json: "--json",
};

function parse<T>(schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0] ?? "");
  const value = (raw as Record<string, unknown>)[key];
  const given = value === undefined ? "" : `, not '${String(value)}'`;
  throw new CliError(`${FLAG_NAMES[key] ?? key} ${issue.message}${given}`, 2);
}

/**
 * Validates `retouch aws deploy`'s flags; a bad one throws a one-line `CliError` with exit code 2.
 *
 * @example
 * ```ts
 * parseDeployFlags({ region: "us-west-2", adminEmail: "me@example.com" }).adminUsername; // "admin"
 * ```
 */
export function parseDeployFlags(raw: unknown): DeployFlags {
  return parse(deployFlags, raw);
}

/**
 * Validates `retouch aws destroy`'s flags.
 *
 * @example
 * ```ts
 * parseDestroyFlags({ yes: true }); // { keepData: false, yes: true }
 * ```
 */
export function parseDestroyFlags(raw: unknown): DestroyFlags {
  return parse(destroyFlags, raw);
}

/**
 * Validates `retouch aws status`'s flags.
 *
 * @example
 * ```ts
 * parseStatusFlags({ json: true }); // { json: true }
 * ```
 */
export function parseStatusFlags(raw: unknown): StatusFlags {
  return parse(statusFlags, raw);
}
