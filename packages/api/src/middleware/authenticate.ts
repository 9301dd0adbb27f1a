import { UnauthorizedError, type Identity } from "@retouch/core";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";

/**
 * Requires `Authorization: Bearer <access token>` and puts the verified principal in the
 * context. The identity adapter checks signature, issuer, client, expiry and token use.
 */
export function authenticate(identity: Identity) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("Authorization");
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match?.[1])
      throw new UnauthorizedError("Sign in first: the Authorization header needs a Bearer token");
    const principal = await identity.verifyAccessToken(match[1]);
    c.set("principal", principal);
    c.set("logger", c.get("logger").child({ userId: principal.userId }));
    await next();
  });
}
