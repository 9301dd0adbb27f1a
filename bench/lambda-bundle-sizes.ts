/**
 * Lambda package sizes: synthesizes the stack as `cdk deploy` does (esbuild bundles, then sharp
 * for linux/arm64 installed beside each bundle — needs the npm registry) and measures each
 * function's staged asset: the bundle alone and the whole folder, raw and zipped as
 * CloudFormation uploads it. Baseline in the same run: Lambda's package quotas (50 MB zipped for a
 * direct upload, 250 MB unzipped), with each figure as a share of them.
 *
 * Run: `npm run bench:bundles` (add `-- --offline` to leave sharp out and measure the bundles only).
 */
import { mkdtempSync } from "node:fs";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { zipSync } from "fflate";
import { buildApp } from "../infra/src/app";
import { functionAssetDirs } from "../infra/test/support";

const ZIPPED_QUOTA = 50 * 1024 * 1024;
const UNZIPPED_QUOTA = 250 * 1024 * 1024;
const offline = process.argv.includes("--offline");

/** Every file below `dir`, by its path relative to `dir`. */
async function filesOf(dir: string): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = await readFile(path);
  }
  return files;
}

const total = (files: Record<string, Uint8Array>) =>
  Object.values(files).reduce((sum, file) => sum + file.byteLength, 0);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const share = (bytes: number, quota: number) => `${((bytes / quota) * 100).toFixed(1)} %`;

const outdir = mkdtempSync(join(tmpdir(), "retouch-bundle-bench-"));
try {
  process.env.CDK_DOCKER = "retouch-bench-docker-must-not-run";
  const { app, stack } = buildApp(new App({ outdir }), { nativeModules: offline ? "skip" : "install" });
  app.synth();
  const assets = functionAssetDirs(Template.fromStack(stack), outdir);
  console.log(
    `Lambda packages as cdk deploy stages them (${offline ? "bundles only, sharp left out" : "bundle + sharp linux/arm64"})`,
  );
  console.log(
    "function          index.mjs   zipped   whole asset   zipped   vs quotas (50 MB zipped / 250 MB unzipped)",
  );
  for (const [name, dir] of Object.entries(assets).sort()) {
    const bundle = (await stat(join(dir, "index.mjs"))).size;
    const bundleZip = zipSync({ "index.mjs": await readFile(join(dir, "index.mjs")) }, { level: 9 }).length;
    const files = await filesOf(dir);
    const whole = total(files);
    const wholeZip = zipSync(files, { level: 9 }).length;
    console.log(
      `${name.padEnd(17)} ${mb(bundle).padStart(9)} ${mb(bundleZip).padStart(9)} ${mb(whole).padStart(12)} ${mb(wholeZip).padStart(9)}   ${share(wholeZip, ZIPPED_QUOTA)} / ${share(whole, UNZIPPED_QUOTA)}`,
    );
  }
} finally {
  await rm(outdir, { recursive: true, force: true });
}
