import type { EngineCatalog } from "@retouch/api";
import type { Identity, JobQueue } from "@retouch/core";
import { describe, expect, it } from "vitest";
import { createAwsDependencies } from "../lambda/aws-dependencies";
import { nativeModulesInstallCommands } from "../src/backend-function";

// Stand-ins for the ports whose AWS adapters live elsewhere; nothing here calls AWS.
const ports = {
  identity: {} as Identity,
  queue: {} as JobQueue,
  engines: { get: () => undefined as never, list: () => [] } as unknown as EngineCatalog,
};

const env = {
  RETOUCH_TABLE_NAME: "ImageGenerationTable",
  RETOUCH_IMAGES_BUCKET: "retouch-images",
  RETOUCH_CORS_ORIGINS: "https://prod.d1.amplifyapp.com, http://localhost:5173",
  RETOUCH_ENGINE: "bedrock-stability",
  RETOUCH_LOG_LEVEL: "silent",
};

describe("createAwsDependencies", () => {
  it("wires DynamoDB, S3 and the settings from the environment the stack sets", () => {
    const deps = createAwsDependencies(env, ports);
    expect(deps.settings).toMatchObject({
      corsOrigins: ["https://prod.d1.amplifyapp.com", "http://localhost:5173"],
      defaultEngine: "bedrock-stability",
      maxUploadBytes: 25 * 1024 * 1024,
    });
    expect(typeof deps.metadata.getEdit).toBe("function");
    expect(typeof deps.blobs.signUpload).toBe("function");
    expect(deps.identity).toBe(ports.identity);
    expect(deps.queue).toBe(ports.queue);
    expect(deps.localAuth).toBeUndefined();
    expect(deps.signedBlobs).toBeUndefined();
  });

  it("names the missing or bad variable", () => {
    expect(() => createAwsDependencies({ ...env, RETOUCH_TABLE_NAME: "" }, ports)).toThrow(
      /RETOUCH_TABLE_NAME/,
    );
    expect(() => createAwsDependencies({ ...env, RETOUCH_IMAGES_BUCKET: undefined }, ports)).toThrow(
      /RETOUCH_IMAGES_BUCKET/,
    );
    expect(() => createAwsDependencies({ ...env, RETOUCH_MAX_PIXELS: "-1" }, ports)).toThrow(
      /RETOUCH_MAX_PIXELS/,
    );
  });
});

describe("nativeModulesInstallCommands", () => {
  it("installs sharp for Lambda's platform at the workspace's version", () => {
    const commands = nativeModulesInstallCommands("/out");
    // One shell command: CDK runs each hook command separately from the repository root.
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatch(/^cd "\/out" && /);
    expect(commands[0]).toContain('> "/out/package.json"');
    expect(commands[0]).toMatch(
      /npm install --prefix "\/out" .*--os=linux --cpu=arm64 --libc=glibc sharp@\d+\.\d+\.\d+$/,
    );
  });
});
