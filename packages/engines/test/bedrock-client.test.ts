import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServiceUnavailableError } from "@retouch/core";
import { startBedrockEmulator, type BedrockEmulator } from "@retouch/bedrock-emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createBedrockRuntimeClient, createBedrockStabilityEngine } from "../src";
import { eraseRequest, maskOf, photoRaster, quietContext } from "./fixtures";

let emulator: BedrockEmulator;
const configDir = mkdtempSync(join(tmpdir(), "retouch-aws-config-"));

/** Points the SDK's shared config and credentials files at a fresh file holding `text`. */
function sharedConfig(name: string, text: string): void {
  const file = join(configDir, name);
  writeFileSync(file, text);
  vi.stubEnv("AWS_CONFIG_FILE", file);
  vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", join(configDir, "no-credentials"));
}

beforeAll(async () => {
  emulator = await startBedrockEmulator();
});

beforeEach(() => {
  // The developer's own AWS settings must not leak into these tests.
  vi.stubEnv("AWS_REGION", undefined);
  vi.stubEnv("AWS_PROFILE", undefined);
  vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
});

afterEach(() => {
  emulator.faults.reset();
  vi.unstubAllEnvs();
});

afterAll(async () => {
  await emulator.close();
});

describe("createBedrockRuntimeClient", () => {
  it("takes the region from the settings, else AWS_REGION, else the profile, else us-east-1", async () => {
    // Prepare
    sharedConfig(
      "profile-config",
      "[default]\nregion = ap-southeast-2\n\n[profile work]\nregion = eu-north-1\n",
    );
    const explicit = createBedrockRuntimeClient({ region: "us-west-2" });
    const fromProfile = createBedrockRuntimeClient();
    const fromEnvironment = createBedrockRuntimeClient();
    const fromNamedProfile = createBedrockRuntimeClient();
    const fallback = createBedrockRuntimeClient();
    // Act
    const regions = [await explicit.config.region(), await fromProfile.config.region()];
    vi.stubEnv("AWS_REGION", "eu-central-1");
    regions.push(await fromEnvironment.config.region());
    vi.stubEnv("AWS_REGION", undefined);
    vi.stubEnv("AWS_PROFILE", "work");
    regions.push(await fromNamedProfile.config.region());
    vi.stubEnv("AWS_PROFILE", undefined);
    sharedConfig("empty-config", "");
    regions.push(await fallback.config.region());
    // Assess
    expect(regions).toEqual(["us-west-2", "ap-southeast-2", "eu-central-1", "eu-north-1", "us-east-1"]);
  });

  it("gives up on a silent call after the request timeout, retries it, then fails clearly", async () => {
    // Prepare
    const client = createBedrockRuntimeClient({
      region: "us-east-1",
      endpoint: emulator.url,
      requestTimeoutMs: 150,
    });
    const engine = createBedrockStabilityEngine({
      client,
      retry: { maxAttempts: 2, baseDelayMs: 2, maxDelayMs: 10 },
    });
    const image = await photoRaster("fruits.jpg", 128, 96);
    const mask = maskOf(image, (x, y) => x >= 40 && x < 80 && y >= 30 && y < 60);
    emulator.faults.slow(1_000);
    const before = emulator.invocations;
    // Act
    const run = engine.run(eraseRequest(image, mask), quietContext());
    // Assess
    await expect(run).rejects.toThrow(ServiceUnavailableError);
    await expect(run).rejects.toThrow(/did not answer in time after 2 attempts \(TimeoutError\)/);
    expect(emulator.invocations - before).toBe(2);
    client.destroy();
  });

  it("makes one HTTP call per engine attempt: the SDK's own retries are off", async () => {
    // Prepare
    const client = createBedrockRuntimeClient({ region: "us-east-1", endpoint: emulator.url });
    const engine = createBedrockStabilityEngine({ client, retry: { maxAttempts: 1 } });
    const image = await photoRaster("fruits.jpg", 128, 96);
    const mask = maskOf(image, (x, y) => x >= 40 && x < 80 && y >= 30 && y < 60);
    emulator.faults.throttleNext(3);
    const before = emulator.invocations;
    // Act
    const run = engine.run(eraseRequest(image, mask), quietContext());
    // Assess
    await expect(run).rejects.toThrow(/still busy after 1 attempts \(ThrottlingException\)/);
    expect(emulator.invocations - before).toBe(1);
    client.destroy();
  });
});
