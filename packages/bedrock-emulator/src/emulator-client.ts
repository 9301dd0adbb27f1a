import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import type { BedrockEmulator } from "./server";

/**
 * The real AWS SDK client, pointed at `emulator` with dummy credentials. The SDK's own retries
 * are off so a test sees every call the code under test makes.
 *
 * @example
 * ```ts
 * const emulator = await startBedrockEmulator();
 * const client = createEmulatorClient(emulator);
 * ```
 */
export function createEmulatorClient(emulator: BedrockEmulator): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint: emulator.url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
}
