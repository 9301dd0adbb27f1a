import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import type { ApiDependencies } from "../dependencies";
import { EngineSchema, errorResponses } from "../http-schemas";

const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["system"],
  summary: "Liveness check",
  responses: {
    200: {
      description: "The API is up",
      content: { "application/json": { schema: z.object({ status: z.literal("ok"), version: z.string() }) } },
    },
  },
});

const engines = createRoute({
  method: "get",
  path: "/engines",
  tags: ["engines"],
  summary: "Engines and what each can do",
  security: [{ bearerAuth: [] }],
  responses: {
    200: {
      description: "Capabilities of every configured engine",
      content: {
        "application/json": {
          schema: z.object({ defaultEngine: z.string(), engines: z.array(EngineSchema) }),
        },
      },
    },
    ...errorResponses(401),
  },
});

/** `GET /health` (public) and `GET /engines`. */
export function registerSystemRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: ApiDependencies,
  authed: OpenAPIHono<AppEnv>,
) {
  app.openapi(health, (c) => c.json({ status: "ok" as const, version: deps.settings.version }, 200));
  authed.openapi(engines, (c) =>
    c.json({ defaultEngine: deps.settings.defaultEngine, engines: deps.engines.list() }, 200),
  );
}
