import type { Command } from "commander";
import { startBedrockEmulator } from "@retouch/bedrock-emulator";
import { integerFlag } from "../options";

/** `retouch bedrock-emulator`: a local Bedrock Runtime (InvokeModel) for offline use and tests. */
export function registerBedrockEmulator(program: Command) {
  program
    .command("bedrock-emulator")
    .description(
      "Start a local Amazon Bedrock Runtime emulator (Stability Image Services, Nova Canvas, " +
        "OpenAI-compatible images) on loopback. Real local engines answer fills (inpaint, erase, " +
        "outpaint) and background removal; search-replace, recolor, variation, text-to-image and " +
        "Nova mask prompts answer synthetic images labelled SYNTHETIC (and an x-emulator-synthetic header)",
    )
    .option("-p, --port <port>", "port to listen on (default: any free port)")
    .option(
      "--synthetic-background",
      "answer background removal with a synthetic ellipse matte (instant) instead of the local-bg " +
        "model (~20 CPU-seconds per photo)",
    )
    .action(async (flags: { port?: string; syntheticBackground?: boolean }) => {
      const port = integerFlag("port", flags.port, 0, 65535);
      const backgroundRemoval = flags.syntheticBackground ? "synthetic" : "local-bg";
      const emulator = await startBedrockEmulator({
        ...(port === undefined ? {} : { port }),
        backgroundRemoval,
      });
      process.stdout.write(`${emulator.url}\n`);
      process.stderr.write(
        [
          ``,
          `  Bedrock Runtime emulator listening at ${emulator.url}`,
          ``,
          `  Point Retouch at it (the credentials are dummies; the emulator does not check them):`,
          ``,
          `      AWS_ENDPOINT_URL_BEDROCK_RUNTIME=${emulator.url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \\`,
          `        npx retouch serve --engine bedrock-stability`,
          ``,
          `  Real engines: the local fill (inpaint, erase, outpaint) and ` +
            (backgroundRemoval === "local-bg"
              ? `local-bg (background removal).`
              : `nothing else (background removal is synthetic: --synthetic-background).`),
          `  Synthetic (labelled SYNTHETIC, x-emulator-synthetic header): search-replace, recolor, variation, text-to-image, mask prompts.`,
          ``,
          `  Stop: Ctrl+C`,
          ``,
        ].join("\n") + "\n",
      );
      const shutdown = async () => {
        await emulator.close();
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    });
}
