import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { WEB_CONTENT_TYPES } from "@retouch/server";
import { build } from "vite";

const WEB_ROOT = fileURLToPath(new URL("../../apps/web", import.meta.url));

/**
 * Builds the web editor into a new temporary folder (apps/web/dist is the local server's, and
 * other runs may be using it).
 *
 * @example
 * ```ts
 * const dist = await buildWebInto(); // "/tmp/retouch-web-cloud-XXXX"
 * ```
 */
export async function buildWebInto(): Promise<string> {
  const dist = await mkdtemp(join(tmpdir(), "retouch-web-cloud-"));
  await build({
    root: WEB_ROOT,
    configFile: join(WEB_ROOT, "vite.config.ts"),
    logLevel: "error",
    build: { outDir: dist, emptyOutDir: true, sourcemap: false },
  });
  return dist;
}

/**
 * The built editor served as Amplify hosting serves it: static files, every other path rewritten
 * to `index.html` (the single-page app's routes), and `config.js` generated from `config`.
 *
 * @example
 * ```ts
 * const site = await serveWebSite(dist, () => ({ userPoolId, userPoolClientId, region, invokeUrl }));
 * await site.stop();
 * ```
 */
export async function serveWebSite(
  dist: string,
  /** Read on each request, so it can name servers started after the site. */
  config: () => Record<string, unknown>,
  options: { port?: number; host?: string; removeOnStop?: boolean } = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://site").pathname;
    if (path === "/config.js") {
      response.writeHead(200, { "Content-Type": WEB_CONTENT_TYPES[".js"]!, "Cache-Control": "no-store" });
      response.end(`window.config = ${JSON.stringify(config())};\n`);
      return;
    }
    const file = join(dist, normalize(path));
    const target = file.startsWith(dist) && extname(file) !== "" ? file : join(dist, "index.html");
    readFile(target)
      .then((body) => {
        response.writeHead(200, {
          "Content-Type": WEB_CONTENT_TYPES[extname(target)] ?? "application/octet-stream",
        });
        response.end(body);
      })
      .catch(() => {
        response.writeHead(404);
        response.end();
      });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      if (options.removeOnStop) await rm(dist, { recursive: true, force: true });
    },
  };
}
