import { describe, expect, it } from "vitest";
import { ValidationError, loadConfig, publicUrlOf } from "../src/index";

describe("loadConfig", () => {
  it("gives the documented defaults", () => {
    // Act
    const config = loadConfig({});
    // Assess
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 8787,
      dataDir: ".retouch-data",
      maxUploadBytes: 25 * 1024 * 1024,
      maxPixels: 40_000_000,
      defaultEngine: "local-fill",
      corsOrigins: [],
    });
    expect(publicUrlOf(config)).toBe("http://localhost:8787");
  });

  it("reads RETOUCH_* variables and lets overrides win", () => {
    // Prepare
    const env = {
      RETOUCH_PORT: "9000",
      RETOUCH_CORS_ORIGINS: "http://a.test, http://b.test",
      RETOUCH_DATA_DIR: "/tmp/x",
    };
    // Act
    const config = loadConfig(env, { port: 9100 });
    // Assess
    expect(config.port).toBe(9100);
    expect(config.corsOrigins).toEqual(["http://a.test", "http://b.test"]);
    expect(config.dataDir).toBe("/tmp/x");
  });

  it("names every bad variable and why", () => {
    // Prepare
    const env = { RETOUCH_PORT: "eighty", RETOUCH_MAX_PIXELS: "-1", RETOUCH_LOG_LEVEL: "loud" };
    // Act
    const attempt = () => loadConfig(env);
    // Assess
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("RETOUCH_PORT");
      expect(message).toContain("RETOUCH_MAX_PIXELS");
      expect(message).toContain("RETOUCH_LOG_LEVEL");
    }
  });

  it("names a bad flag as a flag", () => {
    expect(() => loadConfig({}, { port: "x" })).toThrow(/--port/);
  });

  it("enables the local engines by default and leaves Bedrock's region to the AWS SDK unless one is named", () => {
    // Act
    const byDefault = loadConfig({});
    const explicit = loadConfig({ AWS_REGION: "eu-west-1", RETOUCH_BEDROCK_REGION: "us-west-2" });
    // Assess
    expect(byDefault.engines).toEqual(["local-fill", "local-fill-fast", "local-bg"]);
    expect(byDefault.bedrockRegion).toBeUndefined();
    expect(byDefault.bedrockEndpoint).toBeUndefined();
    expect(explicit.bedrockRegion).toBe("us-west-2");
    expect(() => loadConfig({ RETOUCH_BEDROCK_REGION: "moon-1" })).toThrow(/must be an AWS region/);
  });

  it("reads RETOUCH_ENGINES and RETOUCH_BEDROCK_ENDPOINT, and the default engine is always enabled", () => {
    // Act
    const config = loadConfig({
      RETOUCH_ENGINES: " local-fill , bedrock-stability,local-fill",
      RETOUCH_BEDROCK_ENDPOINT: "http://127.0.0.1:4599",
    });
    const flagged = loadConfig({}, { defaultEngine: "bedrock-stability" });
    // Assess
    expect(config.engines).toEqual(["local-fill", "bedrock-stability"]);
    expect(config.bedrockEndpoint).toBe("http://127.0.0.1:4599");
    expect(flagged.engines).toEqual(["local-fill", "local-fill-fast", "local-bg", "bedrock-stability"]);
    expect(flagged.defaultEngine).toBe("bedrock-stability");
  });

  it("reads Stability model ids per operation and refuses unknown operations or malformed ids", () => {
    // Act
    const byDefault = loadConfig({});
    const profiles = loadConfig({
      RETOUCH_BEDROCK_STABILITY_MODEL_IDS:
        " inpaint=us.stability.stable-image-inpaint-v1:0 , remove-background=eu.stability.stable-image-remove-background-v1:0",
    });
    const unpaired = () => loadConfig({ RETOUCH_BEDROCK_STABILITY_MODEL_IDS: "stability.x-v1:0" });
    const malformed = () => loadConfig({ RETOUCH_BEDROCK_STABILITY_MODEL_IDS: "erase=two words" });
    // Assess
    expect(byDefault.bedrockStabilityModelIds).toEqual({});
    expect(profiles.bedrockStabilityModelIds).toEqual({
      inpaint: "us.stability.stable-image-inpaint-v1:0",
      "remove-background": "eu.stability.stable-image-remove-background-v1:0",
    });
    expect(unpaired).toThrow(
      /RETOUCH_BEDROCK_STABILITY_MODEL_IDS: 'stability.x-v1:0' is not an operation=model-id pair/,
    );
    expect(malformed).toThrow(/'two words' is not a Bedrock model id for erase/);
  });

  it("enables bedrock-nova-canvas and reads its model id (default amazon.nova-canvas-v1:0)", () => {
    // Act
    const byDefault = loadConfig({ RETOUCH_ENGINES: "bedrock-nova-canvas" });
    const profile = loadConfig({ RETOUCH_BEDROCK_NOVA_MODEL_ID: "us.amazon.nova-canvas-v1:0" });
    const arn = loadConfig({
      RETOUCH_BEDROCK_NOVA_MODEL_ID:
        "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
    });
    const bad = () => loadConfig({ RETOUCH_BEDROCK_NOVA_MODEL_ID: "nova canvas!" });
    // Assess
    expect(byDefault.engines).toContain("bedrock-nova-canvas");
    expect(byDefault.bedrockNovaModelId).toBe("amazon.nova-canvas-v1:0");
    expect(profile.bedrockNovaModelId).toBe("us.amazon.nova-canvas-v1:0");
    expect(arn.bedrockNovaModelId).toMatch(/^arn:aws:bedrock:/);
    expect(bad).toThrow(ValidationError);
    expect(bad).toThrow(
      /RETOUCH_BEDROCK_NOVA_MODEL_ID: must be a Bedrock model id, inference profile id or ARN/,
    );
  });

  it("reads the openai-compatible settings, the key from OPENAI_API_KEY unless RETOUCH_OPENAI_API_KEY is set", () => {
    // Act
    const config = loadConfig({
      RETOUCH_ENGINES: "openai-compatible",
      RETOUCH_OPENAI_BASE_URL: "http://127.0.0.1:4599",
      OPENAI_API_KEY: "sk-from-openai",
      RETOUCH_OPENAI_MODEL: "dall-e-2",
    });
    const own = loadConfig({ OPENAI_API_KEY: "sk-from-openai", RETOUCH_OPENAI_API_KEY: "sk-own" });
    const bad = () =>
      loadConfig({ RETOUCH_OPENAI_BASE_URL: "not a url", RETOUCH_OPENAI_API_KEY: "sk-secret" });
    // Assess
    expect(config).toMatchObject({
      engines: ["openai-compatible", "local-fill"],
      openAiBaseUrl: "http://127.0.0.1:4599",
      openAiApiKey: "sk-from-openai",
      openAiModel: "dall-e-2",
    });
    expect(own.openAiApiKey).toBe("sk-own");
    expect(loadConfig({}).openAiApiKey).toBeUndefined();
    expect(bad).toThrow(/RETOUCH_OPENAI_BASE_URL/);
    // A bad value elsewhere never echoes the key.
    expect(() => bad()).not.toThrow(/sk-secret/);
  });

  it("names unknown engine ids, a bad region and a bad endpoint", () => {
    // Act
    const attempt = () =>
      loadConfig({
        RETOUCH_ENGINES: "local-fill,dall-e",
        RETOUCH_BEDROCK_REGION: "mars",
        RETOUCH_BEDROCK_ENDPOINT: "not a url",
      });
    const badDefault = () => loadConfig({}, { defaultEngine: "nope" });
    // Assess
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(
      /RETOUCH_ENGINES: unknown engine 'dall-e' \(known: local-fill, local-fill-fast, bedrock-stability, bedrock-nova-canvas\b/,
    );
    expect(attempt).toThrow(/RETOUCH_BEDROCK_REGION: must be an AWS region/);
    expect(attempt).toThrow(/RETOUCH_BEDROCK_ENDPOINT/);
    expect(badDefault).toThrow(/--defaultEngine: unknown engine 'nope'/);
  });
});
