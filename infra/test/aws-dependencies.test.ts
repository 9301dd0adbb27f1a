import { describe, expect, it } from "vitest";
import {
  createAwsClients,
  createAwsDependencies,
  createWorkerDependencies,
} from "../lambda/aws-dependencies";
import { nativeModulesInstallCommands } from "../src/backend-function";

// Creating SDK clients and adapters makes no call, so nothing here reaches AWS.
const clients = createAwsClients();

const env = {
  RETOUCH_TABLE_NAME: "ImageGenerationTable",
  RETOUCH_IMAGES_BUCKET: "retouch-images",
  RETOUCH_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/EditJobQueue",
  RETOUCH_USER_POOL_ID: "eu-west-1_AbCdEf123",
  RETOUCH_USER_POOL_CLIENT_ID: "4l5k6j7h8g9f0d1s2a3",
  RETOUCH_CORS_ORIGINS: "https://prod.d1.amplifyapp.com, http://localhost:5173",
  RETOUCH_LOG_LEVEL: "silent",
};

describe("createAwsDependencies", () => {
  it("wires DynamoDB, S3, Cognito, SQS, the Bedrock engine and the settings from the environment the stack sets", () => {
    // Act
    const deps = createAwsDependencies(env, clients);
    // Assess
    expect(deps.settings).toMatchObject({
      corsOrigins: ["https://prod.d1.amplifyapp.com", "http://localhost:5173"],
      defaultEngine: "bedrock-stability",
      maxUploadBytes: 25 * 1024 * 1024,
    });
    expect(deps.engines.list().map((engine) => engine.id)).toEqual(["bedrock-stability"]);
    expect(typeof deps.metadata.getEdit).toBe("function");
    expect(typeof deps.blobs.signUpload).toBe("function");
    expect(typeof deps.identity.verifyAccessToken).toBe("function");
    expect(typeof deps.queue.enqueue).toBe("function");
    expect(deps.localAuth).toBeUndefined();
    expect(deps.signedBlobs).toBeUndefined();
  });

  it("offers exactly the engines and operations of the models the deployment may invoke", () => {
    // Act
    const novaOnly = createWorkerDependencies(
      { ...env, RETOUCH_BEDROCK_MODEL_IDS: "us.amazon.nova-canvas-v1:0" },
      clients,
    );
    const twoStability = createWorkerDependencies(
      {
        ...env,
        RETOUCH_BEDROCK_MODEL_IDS:
          "stability.stable-image-inpaint-v1:0, us.stability.stable-image-erase-object-v1:0",
      },
      clients,
    );

    // Assess: the worker never offers an operation its role may not invoke
    expect(novaOnly.engines.list().map((engine) => engine.id)).toEqual(["bedrock-nova-canvas"]);
    expect(novaOnly.settings.defaultEngine).toBe("bedrock-nova-canvas");
    expect(twoStability.engines.list().map((engine) => [engine.id, engine.operations])).toEqual([
      ["bedrock-stability", ["inpaint", "erase"]],
    ]);
    expect(() =>
      createWorkerDependencies(
        { ...env, RETOUCH_BEDROCK_MODEL_IDS: "amazon.titan-image-generator-v2:0" },
        clients,
      ),
    ).toThrow(/amazon\.titan-image-generator-v2:0.*not one Retouch has an engine for/);
  });

  it("leaves retrying Bedrock to the engine: the SDK client makes one attempt per call", async () => {
    // Act
    const attempts = await clients.bedrock.config.maxAttempts();
    // Assess
    expect(attempts).toBe(1);
  });

  it("names the missing or bad variable", () => {
    expect(() => createAwsDependencies({ ...env, RETOUCH_TABLE_NAME: "" }, clients)).toThrow(
      /RETOUCH_TABLE_NAME/,
    );
    expect(() => createAwsDependencies({ ...env, RETOUCH_IMAGES_BUCKET: undefined }, clients)).toThrow(
      /RETOUCH_IMAGES_BUCKET/,
    );
    expect(() => createAwsDependencies({ ...env, RETOUCH_MAX_PIXELS: "-1" }, clients)).toThrow(
      /RETOUCH_MAX_PIXELS/,
    );
    expect(() => createAwsDependencies({ ...env, RETOUCH_QUEUE_URL: undefined }, clients)).toThrow(
      /RETOUCH_QUEUE_URL/,
    );
    expect(() => createAwsDependencies({ ...env, RETOUCH_USER_POOL_ID: " " }, clients)).toThrow(
      /RETOUCH_USER_POOL_ID/,
    );
  });

  it("needs neither Cognito nor the queue for the worker, and honours RETOUCH_ENGINE", () => {
    // Act
    const deps = createWorkerDependencies(
      { RETOUCH_TABLE_NAME: "t", RETOUCH_IMAGES_BUCKET: "b", RETOUCH_ENGINE: "bedrock-stability" },
      clients,
    );
    // Assess
    expect(deps.settings.defaultEngine).toBe("bedrock-stability");
    expect(deps.engines.get("bedrock-stability").capabilities.operations).toContain("erase");
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
