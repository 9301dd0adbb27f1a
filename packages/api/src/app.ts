import { OpenAPIHono } from "@hono/zod-openapi";
import { NotFoundError } from "@retouch/core";
import { cors } from "hono/cors";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./app-env";
import type { ApiDependencies } from "./dependencies";
import { respondWithError, validationFailure } from "./errors";
import { authenticate } from "./middleware/authenticate";
import { requestLog } from "./middleware/request-log";
import { registerAuthRoutes } from "./routes/auth";
import { registerDocsRoutes } from "./routes/docs";
import { registerEditRoutes } from "./routes/edits";
import { registerImageRoutes } from "./routes/images";
import { registerSignedBlobRoutes } from "./routes/signed-blobs";
import { registerSystemRoutes } from "./routes/system";
import { EditService } from "./services/edit-service";
import { ImageService } from "./services/image-service";
import { PayloadTooLargeError } from "@retouch/core";

/** JSON bodies are small (ids and prompts); image bytes go to signed upload URLs instead. */
const JSON_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The whole HTTP API as one Hono app, mounted by the Node server at `/api` and by the Lambda
 * handler at the stage root. Every route is described in the OpenAPI document at `/openapi.json`.
 *
 * @example
 * ```ts
 * const app = createApp(deps);
 * serve({ fetch: new Hono().route("/api", app).fetch, port: 8787 });
 * ```
 */
export function createApp(deps: ApiDependencies): OpenAPIHono<AppEnv> {
  const hook = (result: { success: boolean; error?: unknown; target: string }) => {
    if (!result.success)
      throw validationFailure(
        result.error as Parameters<typeof validationFailure>[0],
        describeTarget(result.target),
      );
  };
  const app = new OpenAPIHono<AppEnv>({ defaultHook: hook });
  const images = new ImageService(deps);
  const edits = new EditService(deps, images);

  app.use(requestId());
  app.use(requestLog(deps.logger));
  app.use(secureHeaders({ crossOriginResourcePolicy: "same-site" }));
  app.use(
    cors({
      // A signed blob URL carries its own credential (as an S3 presigned URL does), so any
      // origin may use one: a page opened at 127.0.0.1 can follow a URL signed for localhost.
      origin: (origin, c) =>
        deps.settings.corsOrigins.includes(origin) || (deps.signedBlobs && /\/blobs\//.test(c.req.path))
          ? origin
          : null,
      allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
      allowHeaders: ["Content-Type", "Authorization"],
      exposeHeaders: ["X-Request-Id", "Retry-After"],
      maxAge: 600,
    }),
  );
  app.onError(respondWithError);
  app.notFound((c) => respondWithError(new NotFoundError(`route ${c.req.method} ${c.req.path}`), c));

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "The access token from sign-in (local) or Cognito (AWS)",
  });

  if (deps.signedBlobs)
    registerSignedBlobRoutes(app, deps.blobs, deps.signedBlobs, deps.settings.maxUploadBytes);

  const jsonLimit = bodyLimit({
    maxSize: JSON_BODY_LIMIT_BYTES,
    onError: () => {
      throw new PayloadTooLargeError(`Request bodies are limited to ${JSON_BODY_LIMIT_BYTES / 1024} KB`);
    },
  });
  app.use("/images/*", jsonLimit);
  app.use("/images", jsonLimit);
  app.use("/edits/*", jsonLimit);
  app.use("/edits", jsonLimit);
  app.use("/auth/*", jsonLimit);

  const authed = new OpenAPIHono<AppEnv>({ defaultHook: hook });
  authed.use(authenticate(deps.identity));
  registerSystemRoutes(app, deps, authed);
  if (deps.localAuth) registerAuthRoutes(app, deps.identity, deps.localAuth);
  registerImageRoutes(authed, images);
  registerEditRoutes(authed, edits);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Retouch API",
      version: deps.settings.version,
      description:
        "Upload a photo, send a mask and a prompt, get edited images back. Edits are jobs: `POST /edits` answers 202 and `GET /edits/{id}` reports progress and results.",
    },
  });
  registerDocsRoutes(app);
  app.route("/", authed);
  return app;
}

function describeTarget(target: string): string {
  return { json: "request body", query: "query string", param: "path parameter" }[target] ?? target;
}
