import type { Command } from "commander";
import { startBedrockEmulator } from "@retouch/bedrock-emulator";
import { integerFlag } from "../options";

/** `retouch bedrock-emulator`: a local Bedrock Runtime (InvokeModel) for offline use and tests. */
export function registerBedrockEmulator(program: Command) {
  program
    .command("bedrock-emulator")
    .description("Start a local Amazon Bedrock Runtime emulator (Stability inpaint/erase) on loopback")
    .option("-p, --port <port>", "port to listen on (default: any free port)")
    .action(async (flags: { port?: string }) => {
      const port = integerFlag("port", flags.port, 0, 65535);
      const emulator = await startBedrockEmulator(port === undefined ? {} : { port });
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
