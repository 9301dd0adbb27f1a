import type { Command } from "commander";
import { readFile, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import {
  EditOptionsSchema,
  loadConfig,
  MarginsSchema,
  OperationSchema,
  outpaintMarginsForAspectRatio,
  parseAspectRatio,
  PROMPT_MAX_LENGTH,
  ValidationError,
  type EditOptions,
  type Margins,
} from "@retouch/core";
import { createConfiguredEngines, createEngineRegistry } from "@retouch/engines";
import { decodeMask, decodeRaster, encodePng, normalizeUpload, runEnginePipeline } from "@retouch/imaging";
import { CliError } from "../fail";
import { integerFlag } from "../options";

interface EditFlags {
  image?: string;
  mask?: string;
  operation: string;
  engine?: string;
  prompt?: string;
  negativePrompt?: string;
  count?: string;
  seed?: string;
  margins?: string;
  aspectRatio?: string;
  searchPrompt?: string;
  maskPrompt?: string;
  option: string[];
  out?: string;
  json?: boolean;
}

/** `OUT.png` for one result; `OUT-1.png`, `OUT-2.png` … for several. */
export function outputPaths(out: string, count: number): string[] {
  if (count === 1) return [out];
  const extension = extname(out);
  const stem = out.slice(0, out.length - extension.length);
  return Array.from({ length: count }, (_, i) => `${stem}-${i + 1}${extension || ".png"}`);
}

function parseMargins(value: string | undefined): Margins | null {
  if (value === undefined) return null;
  const parts = value.split(",").map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.length !== 4 || numbers.some((n) => !Number.isInteger(n))) {
    throw new CliError(
      `--margins must be four whole numbers top,right,bottom,left (e.g. 0,128,0,128), not '${value}'`,
      2,
    );
  }
  const [top, right, bottom, left] = numbers as [number, number, number, number];
  const parsed = MarginsSchema.safeParse({ top, right, bottom, left });
  if (!parsed.success) throw new CliError(`--margins: ${parsed.error.issues[0]?.message}`, 2);
  return parsed.data;
}

/** Collects a repeatable `--option key=value` flag. */
function collectOption(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A flag value as the API would get it in JSON: numbers and booleans typed, the rest text. */
function optionValue(text: string): string | number | boolean {
  if (text === "true" || text === "false") return text === "true";
  const number = Number(text);
  return text.trim() !== "" && Number.isFinite(number) ? number : text;
}

/**
 * The engine options of `--option key=value` (repeatable), `--search-prompt` and
 * `--mask-prompt`, validated by the same schema the API uses.
 */
export function editOptions(flags: Pick<EditFlags, "option" | "searchPrompt" | "maskPrompt">): EditOptions {
  const options: Record<string, unknown> = {};
  for (const pair of flags.option) {
    const at = pair.indexOf("=");
    const key = at > 0 ? pair.slice(0, at).trim() : "";
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) {
      throw new CliError(`--option must be key=value with a name such as cfgScale=7, not '${pair}'`, 2);
    }
    options[key] = optionValue(pair.slice(at + 1));
  }
  for (const [key, flag, text] of [
    ["searchPrompt", "--search-prompt", flags.searchPrompt],
    ["maskPrompt", "--mask-prompt", flags.maskPrompt],
  ] as const) {
    if (text === undefined) continue;
    if (!text.trim()) throw new CliError(`${flag} must not be empty`, 2);
    if (text.length > PROMPT_MAX_LENGTH)
      throw new CliError(`${flag} is longer than ${PROMPT_MAX_LENGTH} characters`, 2);
    options[key] = text;
  }
  const parsed = EditOptionsSchema.safeParse(options);
  if (!parsed.success) throw new CliError(`--option: ${parsed.error.issues[0]?.message}`, 2);
  return parsed.data;
}

/** Runs `check`, turning its `ValidationError` into a usage error (exit 2) named after `flag`. */
function usageCheck<T>(check: () => T, flag: string): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ValidationError) throw new CliError(`${flag}: ${error.message}`, 2);
    throw error;
  }
}

function progressReporter(quiet: boolean) {
  let last = -1;
  return (fraction: number) => {
    const percent = Math.floor(fraction * 100);
    if (quiet || percent === last) return;
    if (process.stderr.isTTY) process.stderr.write(`\rediting… ${percent}%`);
    else if (percent % 10 === 0 || percent === 100) process.stderr.write(`progress ${percent}%\n`);
    last = percent;
    if (process.stderr.isTTY && percent === 100) process.stderr.write("\n");
  };
}

/** `retouch edit`: runs an engine in this process (no server) and writes PNG results. */
export function registerEdit(program: Command) {
  program
    .command("edit")
    .description("Edit an image file in this process, without a server")
    .requiredOption("-i, --image <file>", "the photo to edit (PNG, JPEG or WebP)")
    .option("-m, --mask <file>", "mask of the same size: white (or opaque) where the image should change")
    .option("--operation <op>", `operation: ${OperationSchema.options.join(", ")}`, "inpaint")
    .option("-e, --engine <id>", "engine (see `retouch engines`; default RETOUCH_ENGINE or local-fill)")
    .option("--prompt <text>", "what should be there (engines that use prompts)")
    .option("--negative-prompt <text>", "what should not be there")
    .option("-n, --count <n>", "number of results", "1")
    .option("--seed <n>", "seed; the same seed gives the same result")
    .option("--margins <t,r,b,l>", "outpaint: pixels to add on each side")
    .option("--aspect-ratio <w:h>", "outpaint: extend the canvas, centred, to this ratio (e.g. 16:9)")
    .option("--search-prompt <text>", "replace: what to find and replace, instead of a mask (e.g. 'the dog')")
    .option(
      "--mask-prompt <text>",
      "inpaint/erase: the area to change, named instead of painted (Nova Canvas)",
    )
    .option(
      "--option <key=value>",
      "an engine option, repeatable (e.g. cfgScale=7, quality=premium, mode=recolor)",
      collectOption,
      [],
    )
    .requiredOption(
      "-o, --out <file.png>",
      "where to write the result (OUT-1.png, OUT-2.png … when --count > 1)",
    )
    .option("--json", "print a JSON summary on stdout")
    .action(async (flags: EditFlags) => {
      const started = Date.now();
      const operation = OperationSchema.safeParse(flags.operation);
      if (!operation.success) {
        throw new CliError(
          `--operation must be one of ${OperationSchema.options.join(", ")}, not '${flags.operation}'`,
          2,
        );
      }
      const count = integerFlag("count", flags.count, 1, 8) ?? 1;
      const seed =
        integerFlag("seed", flags.seed, 0, 4_294_967_295) ?? Math.floor(Math.random() * 4_294_967_295);
      for (const [name, text] of [
        ["prompt", flags.prompt],
        ["negative-prompt", flags.negativePrompt],
      ] as const) {
        if (text && text.length > PROMPT_MAX_LENGTH)
          throw new CliError(`--${name} is longer than ${PROMPT_MAX_LENGTH} characters`, 2);
      }
      if (flags.margins && flags.aspectRatio) {
        throw new CliError("--margins and --aspect-ratio cannot be used together", 2);
      }
      if (flags.aspectRatio) usageCheck(() => parseAspectRatio(flags.aspectRatio!), "--aspect-ratio");
      const givenMargins = parseMargins(flags.margins);
      const options = editOptions(flags);
      const config = loadConfig(process.env, flags.engine ? { defaultEngine: flags.engine } : {});
      const engine = createEngineRegistry(createConfiguredEngines(config)).get(config.defaultEngine);

      const limits = { maxBytes: config.maxUploadBytes, maxPixels: config.maxPixels };
      const original = await readFile(flags.image!);
      await normalizeUpload(original, limits); // the server's intake rules, so a file the CLI takes the app takes too
      const source = await decodeRaster(original);
      const mask = flags.mask ? await decodeMask(await readFile(flags.mask), source, limits) : null;
      const margins = flags.aspectRatio
        ? usageCheck(
            () => outpaintMarginsForAspectRatio(source.width, source.height, flags.aspectRatio!),
            "--aspect-ratio",
          )
        : givenMargins;

      const results = await runEnginePipeline({
        engine,
        operation: operation.data,
        source,
        mask,
        margins,
        prompt: flags.prompt ?? null,
        negativePrompt: flags.negativePrompt ?? null,
        count,
        seed,
        options,
        signal: AbortSignal.timeout(30 * 60_000),
        onProgress: progressReporter(Boolean(flags.json)),
      });
      const paths = outputPaths(flags.out!, results.length);
      await Promise.all(results.map(async (raster, i) => writeFile(paths[i]!, await encodePng(raster))));

      const summary = {
        engine: engine.capabilities.id,
        operation: operation.data,
        seed,
        width: results[0]?.width,
        height: results[0]?.height,
        outputs: paths,
        durationMs: Date.now() - started,
      };
      if (flags.json) process.stdout.write(JSON.stringify(summary) + "\n");
      else process.stderr.write(`wrote ${paths.join(", ")} (${summary.durationMs} ms)\n`);
    });
}
