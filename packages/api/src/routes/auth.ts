import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Identity } from "@retouch/core";
import type { AppEnv } from "../app-env";
import type { LocalAuth } from "../dependencies";
import { SignInResponseSchema, TokensSchema, errorResponses, jsonContent } from "../http-schemas";

const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});

const login = createRoute({
  method: "post",
  path: "/auth/login",
  tags: ["auth (local)"],
  summary: "Sign in with username (or email) and password",
  description: "Answers tokens, or the `NEW_PASSWORD_REQUIRED` challenge for a temporary password.",
  request: body(
    z
      .object({ username: z.string().trim().min(1).max(256), password: z.string().min(1).max(256) })
      .openapi("SignInRequest"),
  ),
  responses: {
    200: jsonContent(SignInResponseSchema, "Signed in, or a challenge"),
    ...errorResponses(400, 401, 429),
  },
});

const newPassword = createRoute({
  method: "post",
  path: "/auth/new-password",
  tags: ["auth (local)"],
  summary: "Answer NEW_PASSWORD_REQUIRED: replace the temporary password",
  request: body(
    z
      .object({
        username: z.string().trim().min(1).max(256),
        session: z.string().min(1).max(1024),
        newPassword: z.string().min(1).max(256),
      })
      .openapi("NewPasswordRequest"),
  ),
  responses: {
    200: jsonContent(z.object({ tokens: TokensSchema }), "Signed in"),
    ...errorResponses(400, 401),
  },
});

const refresh = createRoute({
  method: "post",
  path: "/auth/refresh",
  tags: ["auth (local)"],
  summary: "New access and id tokens from a refresh token",
  request: body(z.object({ refreshToken: z.string().min(1).max(1024) }).openapi("RefreshRequest")),
  responses: {
    200: jsonContent(z.object({ tokens: TokensSchema }), "Refreshed"),
    ...errorResponses(400, 401),
  },
});

const jwks = createRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  tags: ["auth (local)"],
  summary: "Public keys that sign the local identity's tokens",
  responses: {
    200: jsonContent(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), "JSON Web Key Set"),
  },
});

/** Local sign-in routes (on AWS the web editor signs in with Cognito instead). */
export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, identity: Identity, localAuth: LocalAuth) {
  app.openapi(login, async (c) => {
    const { username, password } = c.req.valid("json");
    const result = await identity.signIn(username, password);
    if (result.kind === "tokens") return c.json({ tokens: result.tokens }, 200);
    return c.json({ challenge: result.challenge, session: result.session, username: result.username }, 200);
  });
  app.openapi(newPassword, async (c) => {
    const { username, session, newPassword: password } = c.req.valid("json");
    return c.json({ tokens: await identity.completeNewPassword(username, session, password) }, 200);
  });
  app.openapi(refresh, async (c) => {
    return c.json({ tokens: await identity.refresh(c.req.valid("json").refreshToken) }, 200);
  });
  app.openapi(jwks, async (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json((await localAuth.jwks()) as { keys: Record<string, unknown>[] }, 200);
  });
}
