/**
 * Lambda bundle sizes: each function entry bundled with the stack's esbuild settings (ESM,
 * node22, minified, external source maps without sources, `sharp` installed beside it rather
 * than bundled), then measured raw and as the zip CloudFormation uploads. Baseline in the same
 * run: the same entry unminified, to show what minification saves.
 *
 * Run: `npm run bench:bundles`.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type Metafile } from "esbuild";
import { zipSync } from "fflate";
import { readFile } from "node:fs/promises";
import { API_ENTRY, WORKER_ENTRY } from "../infra/src/retouch-stack";

const BANNER = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

async function bundle(entry: string, outfile: string, minify: boolean): Promise<Metafile> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify,
    sourcemap: "external",
    sourcesContent: false,
    mainFields: ["module", "main"],
    external: ["sharp"],
    banner: { js: BANNER },
    metafile: true,
    logLevel: "silent",
  });
  return result.metafile;
}

/** The biggest packages in a bundle, by bytes of output they contribute. */
function topPackages(metafile: Metafile, count: number): string {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const name = match
        ? match[1]!
        : path.startsWith("packages/")
          ? path.split("/").slice(0, 2).join("/")
          : "other";
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, size]) => `${name} ${kb(size)}`)
    .join(", ");
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const dir = await mkdtemp(join(tmpdir(), "retouch-bundle-bench-"));
try {
  console.log("Lambda bundles (stack settings: ESM, node22, minified; sharp installed beside, not counted)");
  console.log("function  minified    zipped   unminified (baseline)  largest parts");
  for (const [name, entry] of [
    ["api", API_ENTRY],
    ["worker", WORKER_ENTRY],
  ] as const) {
    const file = join(dir, `${name}.mjs`);
    const meta = await bundle(entry, file, true);
    const minified = (await stat(file)).size;
    const zipped = zipSync({ "index.mjs": await readFile(file) }, { level: 9 }).length;
    const plainFile = join(dir, `${name}-plain.mjs`);
    await bundle(entry, plainFile, false);
    const plain = (await stat(plainFile)).size;
    console.log(
      `${name.padEnd(8)} ${kb(minified).padStart(9)} ${kb(zipped).padStart(9)} ${kb(plain).padStart(12)}            ${topPackages(meta, 5)}`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
