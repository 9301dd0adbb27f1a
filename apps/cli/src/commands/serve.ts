import type { Command } from "commander";
import { loadConfig } from "@retouch/core";
import { startLocalServer } from "@retouch/server";
import { configFlags } from "../options";

/** `retouch serve`: the web editor and API on one port, with local storage and sign-in. */
export function registerServe(program: Command) {
  program
    .command("serve")
    .description("Start the web editor and API on this machine (SQLite + files, local sign-in)")
    .option("-p, --port <port>", "port to listen on (RETOUCH_PORT, default 8787)")
    .option("--host <host>", "address to listen on (RETOUCH_HOST, default 127.0.0.1)")
    .option(
      "-d, --data-dir <dir>",
      "folder for the database and images (RETOUCH_DATA_DIR, default .retouch-data)",
    )
    .option(
      "-e, --engine <id>",
      "engine to enable and use by default (RETOUCH_ENGINE, default local-fill; see RETOUCH_ENGINES)",
    )
    .action(async (flags: { port?: string; host?: string; dataDir?: string; engine?: string }) => {
      const config = loadConfig(process.env, configFlags(flags));
      const server = await startLocalServer(config);
      const lines = [``, `  Retouch is running at ${server.url}`, ``];
      if (server.admin) {
        lines.push(
          `  First start: sign in as '${server.admin.username}' with the temporary password`,
          ``,
          `      ${server.admin.temporaryPassword}`,
          ``,
          `  You will choose a new password at first sign-in. This password is shown only once;`,
          `  if you lose it: npx retouch users reset-password ${server.admin.username}`,
          ``,
        );
      }
      lines.push(`  API reference: ${server.url}/api/docs    Stop: Ctrl+C`, ``);
      process.stderr.write(lines.join("\n") + "\n");
      const shutdown = async () => {
        await server.close();
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    });
}
