import { join } from "node:path";
import {
  createFilesystemBlobStore,
  createInProcessJobQueue,
  createLocalIdentity,
  createSqliteMetadataStore,
  openSqlite,
  type LocalIdentity,
  type SqliteDatabase,
} from "@retouch/adapters";
import {
  EditRunner,
  createApp,
  createLogger,
  requeueOrphanedEdits,
  type ApiDependencies,
  type Logger,
} from "@retouch/api";
import { publicUrlOf, type AppConfig } from "@retouch/core";
import { createConfiguredEngines, createEngineRegistry } from "@retouch/engines";
import { Hono } from "hono";
import { loadOrCreateSecret } from "./secrets";
import { registerWebRoutes } from "./web";
import { version } from "./version";

/** The client id the local identity issues tokens for (the web editor and the CLI). */
export const LOCAL_CLIENT_ID = "retouch-web";

/** What start-up found: interrupted jobs re-queued or abandoned, jobs waiting, edits never queued. */
export interface JobRecovery {
  requeued: number;
  abandoned: number;
  pending: number;
  /** Edits recorded as queued; each was (re)offered to the queue, which ignores ones it holds. */
  queuedEdits: number;
}

export interface LocalRuntime {
  /** Root app: the API under `/api`, the web editor at `/`. */
  app: Hono;
  deps: ApiDependencies;
  identity: LocalIdentity;
  db: SqliteDatabase;
  /** Starts the job queue (after recovering interrupted jobs). */
  startJobs(): Promise<JobRecovery>;
  /** Stops the queue (running jobs are put back) and closes the database. */
  close(): Promise<void>;
}

/** Paths of everything the local app keeps under `dataDir`. */
export function dataPaths(dataDir: string) {
  return {
    database: join(dataDir, "retouch.db"),
    blobs: join(dataDir, "blobs"),
    blobSigningKey: join(dataDir, "secrets", "blob-signing.key"),
  };
}

/** Opens just the local identity (for `retouch users …`, which needs no server). */
export async function openLocalIdentity(
  config: AppConfig,
): Promise<{ identity: LocalIdentity; close(): void }> {
  const db = openSqlite(dataPaths(config.dataDir).database);
  const identity = await createIdentityFor(config, db, publicUrlOf(config));
  return { identity, close: () => db.close() };
}

function createIdentityFor(config: AppConfig, db: SqliteDatabase, publicUrl: string) {
  return createLocalIdentity({
    db,
    issuer: `${publicUrl}/api`,
    clientId: LOCAL_CLIENT_ID,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
    loginMaxFailures: config.loginMaxFailures,
    loginLockoutSeconds: config.loginLockoutSeconds,
  });
}

/**
 * Wires the local adapters (SQLite, files, in-process queue, local identity, CPU engines) into
 * the API. `publicUrl` is where browsers reach this server; it goes into signed URLs and the
 * token issuer.
 *
 * @example
 * ```ts
 * const runtime = await createLocalRuntime(loadConfig(process.env), { publicUrl: "http://localhost:8787" });
 * await runtime.startJobs();
 * ```
 */
export async function createLocalRuntime(
  config: AppConfig,
  options: { publicUrl: string; logger?: Logger },
): Promise<LocalRuntime> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const paths = dataPaths(config.dataDir);
  const db = openSqlite(paths.database);
  const identity = await createIdentityFor(config, db, options.publicUrl);
  const blobs = createFilesystemBlobStore({
    rootDir: paths.blobs,
    signingSecret: loadOrCreateSecret(paths.blobSigningKey),
    publicBaseUrl: `${options.publicUrl}/api`,
  });
  const queue = createInProcessJobQueue({
    db,
    concurrency: config.jobConcurrency,
    maxAttempts: config.jobMaxAttempts,
    onError: (error, job) => logger.error({ err: error, editId: job.editId }, "job handler failed"),
  });
  const deps: ApiDependencies = {
    settings: {
      maxUploadBytes: config.maxUploadBytes,
      maxPixels: config.maxPixels,
      defaultEngine: config.defaultEngine,
      corsOrigins: config.corsOrigins,
      uploadUrlTtlSeconds: 900,
      downloadUrlTtlSeconds: 3600,
      version,
    },
    metadata: createSqliteMetadataStore({ db }),
    blobs,
    queue,
    identity,
    engines: createEngineRegistry(createConfiguredEngines(config)),
    logger,
    localAuth: identity,
    signedBlobs: blobs,
  };
  deps.engines.get(config.defaultEngine); // fail at start-up, not at the first edit, on a bad RETOUCH_ENGINE

  const app = new Hono();
  app.route("/api", createApp(deps));
  registerWebRoutes(app, { invokeUrl: "/api" });

  return {
    app,
    deps,
    identity,
    db,
    startJobs: async () => {
      const recovery = await queue.start(new EditRunner(deps));
      return { ...recovery, queuedEdits: await requeueOrphanedEdits(deps.metadata, queue) };
    },
    close: async () => {
      await queue.stop();
      db.close();
    },
  };
}
