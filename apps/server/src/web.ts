import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hono } from "hono";

/** Where `npm run build -w @retouch/web` puts the editor. */
export const WEB_DIST = resolve(dirname(fileURLToPath(import.meta.url)), "../../web/dist");

/** Content types of the files a web editor build holds. */
export const WEB_CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".webmanifest": "application/manifest+json",
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Retouch</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Retouch is running</h1>
<p>The web editor has not been built in this checkout, so only the API is served.
The API is at <a href="/api/health">/api</a>; its reference is at <a href="/api/docs">/api/docs</a>.</p>
<p>Use the <code>retouch</code> CLI to edit from the shell: <code>npx retouch edit --help</code>.</p>
</body></html>`;

/**
 * Serves the web editor's build at `/` with a runtime `config.js` (one build serves every
 * deployment), falling back to `index.html` for client-side routes.
 */
export function registerWebRoutes(app: Hono, config: { invokeUrl: string }, distDir = WEB_DIST) {
  app.get("/config.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "no-store");
    return c.body(`window.config = ${JSON.stringify({ auth: "local", invokeUrl: config.invokeUrl })};\n`);
  });
  app.get("*", async (c) => {
    if (!existsSync(join(distDir, "index.html"))) return c.html(NOT_BUILT);
    const requested = normalize(join(distDir, safeDecode(c.req.path)));
    const inside = requested.startsWith(distDir + sep) && existsSync(requested) && extname(requested) !== "";
    const file = inside ? requested : join(distDir, "index.html");
    c.header("Content-Type", WEB_CONTENT_TYPES[extname(file)] ?? "application/octet-stream");
    c.header(
      "Cache-Control",
      file.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache",
    );
    return c.body(await readFile(file));
  });
}

/** A malformed escape (`/%E0`) is treated as a route, not an error. */
function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return "/";
  }
}
