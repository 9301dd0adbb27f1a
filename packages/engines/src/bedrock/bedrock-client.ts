import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";

/** Region used when neither the settings nor the SDK's chain (AWS_REGION, profile) name one. */
export const FALLBACK_BEDROCK_REGION = "us-east-1";

/**
 * How long one `InvokeModel` call may stay silent before it fails with `TimeoutError` (and is
 * retried). Four attempts of this fit in the worker Lambda's five minutes.
 */
export const DEFAULT_BEDROCK_REQUEST_TIMEOUT_MS = 60_000;

export interface BedrockClientSettings {
  /** Unset: the SDK's own chain (`AWS_REGION`, the profile's region), else us-east-1. */
  region?: string | undefined;
  /** Unset: the SDK's default, which honours `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`. */
  endpoint?: string | undefined;
  requestTimeoutMs?: number | undefined;
}

/**
 * The Bedrock Runtime client the engines use. The SDK's own retries are off (`maxAttempts: 1`)
 * because the engine retries throttling, unavailability and timeouts itself, with its own
 * backoff and a message that says what happened; two layers would multiply the attempts.
 * Credentials come from the SDK's default chain (environment, profile, Lambda role).
 *
 * @example
 * ```ts
 * const client = createBedrockRuntimeClient({ region: "us-west-2" });
 * const engine = createBedrockStabilityEngine({ client });
 * ```
 */
export function createBedrockRuntimeClient(settings: BedrockClientSettings = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: settings.region ?? defaultRegion(),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    maxAttempts: 1,
    requestHandler: { requestTimeout: settings.requestTimeoutMs ?? DEFAULT_BEDROCK_REQUEST_TIMEOUT_MS },
  });
}

/** The SDK's region chain, resolved lazily (at the first call) with a fallback instead of an error. */
function defaultRegion(): () => Promise<string> {
  // A client built without a region carries the SDK's standard region provider.
  const probe = new BedrockRuntimeClient({});
  return () => probe.config.region().catch(() => FALLBACK_BEDROCK_REGION);
}
