import { z } from "zod";
import { ValidationError } from "./errors";

/** A Bedrock model id, inference profile id or ARN. */
const MODEL_ID = /^[A-Za-z0-9][\w.:/-]*$/;
/**
 * A key of `RETOUCH_BEDROCK_STABILITY_MODEL_IDS`; the engine, which owns the list of its models,
 * checks that it names one of them.
 */
const MODEL_KEY = /^[a-z][a-z-]*$/;

/** Engine ids this build can create (`RETOUCH_ENGINES`, `RETOUCH_ENGINE`, `--engine`). */
export const KNOWN_ENGINE_IDS = [
  "local-fill",
  "local-fill-fast",
  "bedrock-stability",
  "bedrock-nova-canvas",
  "openai-compatible",
  "local-bg",
] as const;
export type KnownEngineId = (typeof KNOWN_ENGINE_IDS)[number];
const isKnownEngine = (id: string): id is KnownEngineId =>
  (KNOWN_ENGINE_IDS as readonly string[]).includes(id);
const unknownEngine = (id: string) => `unknown engine '${id}' (known: ${KNOWN_ENGINE_IDS.join(", ")})`;

const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Every setting of the local app, with its `RETOUCH_*` variable, default and limits.
 * Also the source of the README's configuration table.
 */
export const CONFIG_FIELDS = {
  host: {
    env: "RETOUCH_HOST",
    schema: z.string().min(1).default("127.0.0.1"),
    doc: "Address the server listens on",
  },
  port: {
    env: "RETOUCH_PORT",
    schema: intFrom(0, 65535).default(8787),
    doc: "Port the server listens on (0 = any free port)",
  },
  publicUrl: {
    env: "RETOUCH_PUBLIC_URL",
    schema: z.url().optional(),
    doc: "URL users reach the server at (default http://localhost:PORT); used in signed upload/download URLs",
  },
  dataDir: {
    env: "RETOUCH_DATA_DIR",
    schema: z.string().min(1).default(".retouch-data"),
    doc: "Folder for the SQLite database, images and signing keys",
  },
  adminPassword: {
    env: "RETOUCH_ADMIN_PASSWORD",
    schema: z.string().min(1).optional(),
    doc: "Temporary password for the first user `admin` (default: random, printed once)",
  },
  adminEmail: {
    env: "RETOUCH_ADMIN_EMAIL",
    schema: z.email().optional(),
    doc: "Email of the first user `admin`",
  },
  maxUploadBytes: {
    env: "RETOUCH_MAX_UPLOAD_BYTES",
    schema: intFrom(1024, 1024 * 1024 * 1024).default(25 * 1024 * 1024),
    doc: "Largest accepted image file, in bytes",
  },
  maxPixels: {
    env: "RETOUCH_MAX_PIXELS",
    schema: intFrom(1, 400_000_000).default(40_000_000),
    doc: "Largest accepted image, in pixels (width × height), checked before decoding",
  },
  jobConcurrency: {
    env: "RETOUCH_JOB_CONCURRENCY",
    schema: intFrom(1, 64).default(1),
    doc: "Edits run at the same time",
  },
  jobMaxAttempts: {
    env: "RETOUCH_JOB_MAX_ATTEMPTS",
    schema: intFrom(1, 10).default(2),
    doc: "Tries for an edit whose run was interrupted by a crash before it is failed",
  },
  defaultEngine: {
    env: "RETOUCH_ENGINE",
    schema: z.string().min(1).default("local-fill"),
    doc: "Engine used when an edit names none",
  },
  engines: {
    env: "RETOUCH_ENGINES",
    schema: z
      .string()
      .default("local-fill,local-fill-fast,local-bg")
      .transform((s, ctx) => {
        const ids = [
          ...new Set(
            s
              .split(",")
              .map((e) => e.trim())
              .filter(Boolean),
          ),
        ];
        for (const id of ids)
          if (!isKnownEngine(id)) ctx.addIssue({ code: "custom", message: unknownEngine(id) });
        if (ids.length === 0) ctx.addIssue({ code: "custom", message: "name at least one engine" });
        return ids as KnownEngineId[];
      }),
    doc: `Comma-separated engines to enable (${KNOWN_ENGINE_IDS.join(", ")}); the default engine is always enabled`,
  },
  bedrockRegion: {
    env: "RETOUCH_BEDROCK_REGION",
    schema: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "must be an AWS region such as us-east-1")
      .optional(),
    doc: "AWS region of Amazon Bedrock (unset: the AWS SDK's AWS_REGION or the profile's region, else us-east-1)",
  },
  bedrockEndpoint: {
    env: "RETOUCH_BEDROCK_ENDPOINT",
    schema: z.url().optional(),
    doc: "Bedrock Runtime endpoint, e.g. the local emulator (unset: the SDK's default, which honours AWS_ENDPOINT_URL_BEDROCK_RUNTIME)",
  },
  bedrockStabilityModelIds: {
    env: "RETOUCH_BEDROCK_STABILITY_MODEL_IDS",
    schema: z
      .string()
      .default("")
      .transform((s, ctx) => {
        const ids: Record<string, string> = {};
        for (const pair of s
          .split(",")
          .map((p) => p.trim())
          .filter(Boolean)) {
          const [operation = "", modelId = ""] = pair.split("=").map((p) => p.trim());
          if (!MODEL_KEY.test(operation)) {
            ctx.addIssue({
              code: "custom",
              message: `'${pair}' is not an operation=model-id pair (e.g. inpaint=us.stability.stable-image-inpaint-v1:0)`,
            });
          } else if (!MODEL_ID.test(modelId)) {
            ctx.addIssue({
              code: "custom",
              message: `'${modelId}' is not a Bedrock model id for ${operation}`,
            });
          } else {
            ids[operation] = modelId;
          }
        }
        return ids;
      }),
    doc: "Model ids the bedrock-stability engine invokes instead of its defaults, as operation=id pairs, e.g. inpaint=us.stability.stable-image-inpaint-v1:0 for a cross-region inference profile",
  },
  bedrockNovaModelId: {
    env: "RETOUCH_BEDROCK_NOVA_MODEL_ID",
    schema: z
      .string()
      .regex(
        MODEL_ID,
        "must be a Bedrock model id, inference profile id or ARN, such as amazon.nova-canvas-v1:0",
      )
      .default("amazon.nova-canvas-v1:0"),
    doc: "Model the bedrock-nova-canvas engine invokes: a model id, inference profile id or ARN (Nova Canvas is a Legacy model; Bedrock ends it on 2026-09-30)",
  },
  openAiBaseUrl: {
    env: "RETOUCH_OPENAI_BASE_URL",
    schema: z.url().optional(),
    doc: "Root URL of an OpenAI-compatible Images API for the openai-compatible engine, e.g. https://api.openai.com or the local emulator (required when that engine is enabled)",
  },
  openAiApiKey: {
    env: "RETOUCH_OPENAI_API_KEY",
    schema: z.string().min(1).optional(),
    doc: "API key the openai-compatible engine sends as a Bearer token (default OPENAI_API_KEY); never logged",
  },
  openAiModel: {
    env: "RETOUCH_OPENAI_MODEL",
    schema: z.string().min(1).optional(),
    doc: "Model the openai-compatible engine asks for, e.g. dall-e-2 (unset: the server's default)",
  },
  corsOrigins: {
    env: "RETOUCH_CORS_ORIGINS",
    schema: z
      .string()
      .default("")
      .transform((s) =>
        s
          .split(",")
          .map((o) => o.trim())
          .filter(Boolean),
      ),
    doc: "Comma-separated origins allowed to call the API from a browser (same origin always works)",
  },
  logLevel: {
    env: "RETOUCH_LOG_LEVEL",
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    doc: "Log level of the JSON logs on stdout",
  },
  accessTokenTtlSeconds: {
    env: "RETOUCH_ACCESS_TOKEN_TTL",
    schema: intFrom(60, 86_400).default(3600),
    doc: "Lifetime of access and id tokens, in seconds",
  },
  refreshTokenTtlSeconds: {
    env: "RETOUCH_REFRESH_TOKEN_TTL",
    schema: intFrom(300, 315_360_000).default(30 * 86_400),
    doc: "Lifetime of refresh tokens, in seconds",
  },
  loginMaxFailures: {
    env: "RETOUCH_LOGIN_MAX_FAILURES",
    schema: intFrom(1, 100).default(5),
    doc: "Failed sign-ins for one username before it is throttled",
  },
  loginLockoutSeconds: {
    env: "RETOUCH_LOGIN_LOCKOUT_SECONDS",
    schema: intFrom(1, 86_400).default(60),
    doc: "First throttle period after too many failures (doubles each time)",
  },
} as const;

type Fields = typeof CONFIG_FIELDS;
export type AppConfig = { [K in keyof Fields]: z.output<Fields[K]["schema"]> };
export type ConfigInput = { [K in keyof Fields]?: z.input<Fields[K]["schema"]> };

const ConfigSchema = z.object(
  Object.fromEntries(Object.entries(CONFIG_FIELDS).map(([k, f]) => [k, f.schema])) as {
    [K in keyof Fields]: Fields[K]["schema"];
  },
);

/**
 * Reads the configuration from `RETOUCH_*` variables, with `overrides` (CLI flags) on top,
 * and validates it. Throws `ValidationError` naming each bad variable and why.
 *
 * @example
 * ```ts
 * const config = loadConfig(process.env, { port: 9000 });
 * ```
 */
export function loadConfig(env: Record<string, string | undefined>, overrides: ConfigInput = {}): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(CONFIG_FIELDS)) {
    const value = env[field.env];
    if (value !== undefined && value !== "") raw[key] = value;
  }
  if (raw.openAiApiKey === undefined && env.OPENAI_API_KEY) raw.openAiApiKey = env.OPENAI_API_KEY;
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) raw[key] = value;
  const parsed = ConfigSchema.safeParse(raw);
  const sourceOf = (key: keyof Fields) => (key in overrides ? `--${key}` : (CONFIG_FIELDS[key]?.env ?? key));
  const problems = parsed.success
    ? []
    : parsed.error.issues.map(
        (issue) => `${sourceOf(String(issue.path[0]) as keyof Fields)}: ${issue.message}`,
      );
  if (parsed.success && !isKnownEngine(parsed.data.defaultEngine)) {
    problems.push(`${sourceOf("defaultEngine")}: ${unknownEngine(parsed.data.defaultEngine)}`);
  }
  if (!parsed.success || problems.length > 0) {
    throw new ValidationError(`Invalid configuration: ${problems.join("; ")}`, { problems });
  }
  const config = parsed.data as AppConfig;
  // The default engine is always available, so `--engine bedrock-stability` alone enables it.
  if (config.engines.includes(config.defaultEngine as KnownEngineId)) return config;
  return { ...config, engines: [...config.engines, config.defaultEngine as KnownEngineId] };
}

/** The URL users reach the server at. */
export function publicUrlOf(config: AppConfig, listeningPort = config.port): string {
  return (config.publicUrl ?? `http://localhost:${listeningPort}`).replace(/\/$/, "");
}
