import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { zipSync, type Zippable } from "fflate";
import { CliError } from "../fail";
import type { CommandRunner } from "./run-command";

/**
 * Builds the web editor (`npm run build -w @retouch/web`) and answers its build folder, `apps/web/dist`.
 *
 * @example
 * ```ts
 * const distDir = await buildWeb(runCommand, REPO_ROOT);
 * ```
 */
export async function buildWeb(run: CommandRunner, repoRoot: string): Promise<string> {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const code = await run(npm, ["run", "build", "-w", "@retouch/web"], { cwd: repoRoot });
  if (code !== 0)
    throw new CliError(`Building the web editor failed (exit code ${code}); see its output above.`);
  return join(repoRoot, "apps", "web", "dist");
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Zips a built web editor for Amplify (paths relative to the build folder, `index.html` at the
 * root) with `config.js` replaced by this deployment's.
 *
 * @example
 * ```ts
 * const zip = await zipWebBuild("apps/web/dist", webConfigScript(webConfig(outputs)));
 * ```
 */
export async function zipWebBuild(distDir: string, configScript: string): Promise<Uint8Array> {
  if (!existsSync(join(distDir, "index.html")))
    throw new CliError(`No web build at ${distDir} (index.html missing).`);
  const files: Zippable = {};
  for (const path of await filesUnder(distDir)) {
    // Zip entries always use forward slashes.
    files[relative(distDir, path).split(sep).join("/")] = await readFile(path);
  }
  files["config.js"] = new TextEncoder().encode(configScript);
  return zipSync(files, { level: 6 });
}
