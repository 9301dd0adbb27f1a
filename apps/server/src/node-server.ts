import { serve, type ServerType } from "@hono/node-server";
import { createLogger, type Logger } from "@retouch/api";
import { publicUrlOf, ServiceUnavailableError, type AppConfig } from "@retouch/core";
import type { AddressInfo } from "node:net";
import { bootstrapAdmin } from "./bootstrap-admin";
import { createLocalRuntime, type JobRecovery, type LocalRuntime } from "./local-runtime";

export interface RunningServer {
  url: string;
  runtime: LocalRuntime;
  /** Set on the first start with an empty database: show it once. */
  admin: { username: string; temporaryPassword: string } | null;
  recovery: JobRecovery;
  close(): Promise<void>;
}

/**
 * Starts the local app: listens first (so port 0 gets a real port for the public URL), then
 * wires the runtime, creates the first admin if there are no users, and starts the job queue,
 * which recovers jobs a previous process left behind.
 *
 * @example
 * ```ts
 * const server = await startLocalServer(loadConfig(process.env));
 * console.log(`Open ${server.url}`);
 * ```
 */
export async function startLocalServer(
  config: AppConfig,
  options: { logger?: Logger } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  let runtime: LocalRuntime | undefined;
  const server: ServerType = await new Promise((resolveListening, reject) => {
    const s = serve(
      {
        fetch: (request) => {
          if (!runtime) {
            const error = new ServiceUnavailableError("Retouch is starting; try again in a moment");
            return Response.json(error.toJSON(), { status: 503 });
          }
          return runtime.app.fetch(request);
        },
        hostname: config.host,
        port: config.port,
      },
      () => resolveListening(s),
    );
    s.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = publicUrlOf(config, port);
  try {
    runtime = await createLocalRuntime(config, { publicUrl: url, logger });
  } catch (error) {
    server.close();
    throw error;
  }
  const admin = await bootstrapAdmin(runtime.identity, {
    password: config.adminPassword,
    email: config.adminEmail,
  });
  const recovery = await runtime.startJobs();
  logger.info({ url, ...recovery }, "retouch is listening");
  const ready = runtime;
  return {
    url,
    runtime: ready,
    admin,
    recovery,
    close: async () => {
      await new Promise<void>((done) => server.close(() => done()));
      await ready.close();
    },
  };
}
