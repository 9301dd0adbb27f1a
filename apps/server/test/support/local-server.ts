import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type ConfigInput } from "@retouch/core";
import type { Logger } from "@retouch/api";
import { startLocalServer, type RunningServer } from "../../src/index";

export const ADMIN_TEMPORARY_PASSWORD = "Temp-Passw0rd!";
export const ADMIN_PASSWORD = "N3w-Secret-Passw0rd!";

/** A real local server on a free port with its own data folder; `stop()` removes both. */
export async function startTestServer(
  overrides: ConfigInput = {},
  options: { logger?: Logger } = {},
): Promise<RunningServer & { dataDir: string; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), "retouch-test-"));
  const config = loadConfig(
    {},
    { port: 0, dataDir, logLevel: "silent", adminPassword: ADMIN_TEMPORARY_PASSWORD, ...overrides },
  );
  const server = await startLocalServer(config, options);
  return {
    ...server,
    dataDir,
    stop: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
