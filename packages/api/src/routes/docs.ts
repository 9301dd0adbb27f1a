import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";

const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Retouch API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script><script src="docs/init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#swagger-ui", deepLinking: true });`;

/**
 * `GET /docs`: Swagger UI for `/openapi.json`, served from the `swagger-ui-dist` package so the
 * page works offline.
 */
export function registerDocsRoutes(app: Hono<AppEnv>) {
  const assetDir = () => dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  // Relative URLs: the page works wherever the API is mounted (`/api/docs` locally, `/prod/docs` on AWS).
  app.get("/docs", (c) => c.html(PAGE));
  app.get("/docs/init.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    return c.body(INIT);
  });
  app.get("/docs/:asset", async (c) => {
    const name = c.req.param("asset");
    const type = ASSETS[name];
    if (!type) return c.notFound();
    c.header("Content-Type", type);
    c.header("Cache-Control", "public, max-age=86400");
    return c.body(await readFile(join(assetDir(), name)));
  });
}
