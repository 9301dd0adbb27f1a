import type { Identity } from "@retouch/core";

export const ADMIN_USERNAME = "admin";

/**
 * On first start (no users at all) creates `admin` with a temporary password that must be
 * changed at first sign-in. Returns the password so the caller can show it once; null when
 * users already exist.
 *
 * @example
 * ```ts
 * const created = await bootstrapAdmin(identity, { password: process.env.RETOUCH_ADMIN_PASSWORD });
 * if (created) console.log(`admin / ${created.temporaryPassword}`);
 * ```
 */
export async function bootstrapAdmin(
  identity: Identity,
  options: { password?: string | undefined; email?: string | undefined },
): Promise<{ username: string; temporaryPassword: string } | null> {
  if ((await identity.listUsers()).length > 0) return null;
  const { temporaryPassword } = await identity.createUser({
    username: ADMIN_USERNAME,
    email: options.email ?? null,
    ...(options.password ? { temporaryPassword: options.password } : {}),
  });
  return { username: ADMIN_USERNAME, temporaryPassword };
}
