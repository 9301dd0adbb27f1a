import { EngineRefusedError, ServiceUnavailableError, type HttpError } from "@retouch/core";

/** Errors that mean the model did not answer in time: the service's, and the SDK's own timeout. */
export const TIMEOUT_ERRORS = new Set(["ModelTimeoutException", "TimeoutError"]);

/** Bedrock errors worth another attempt after a pause. */
export const RETRYABLE_ERRORS = new Set([
  "ThrottlingException",
  "ServiceUnavailableException",
  "ModelNotReadyException",
  ...TIMEOUT_ERRORS,
]);

export const CONTENT_FILTER_MESSAGE = "The request was blocked by the model's content filter";

/** Name and message of an SDK error (`ServiceException` subclasses carry the error type in `name`). */
export function describeSdkError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "UnknownError", message: String(error) };
}

export function isRetryable(error: unknown): boolean {
  return RETRYABLE_ERRORS.has(describeSdkError(error).name);
}

/** The failure once every attempt of a retryable error is spent. */
export function retriesExhaustedError(error: unknown, modelId: string, region: string, attempts: number) {
  const { name } = describeSdkError(error);
  const what = TIMEOUT_ERRORS.has(name) ? "did not answer in time" : "is still busy";
  return new ServiceUnavailableError(
    `Bedrock model ${modelId} in ${region} ${what} after ${attempts} attempts (${name}); try again later`,
  );
}

/**
 * Stability AI models are sold through AWS Marketplace: the first call in an account subscribes
 * to the model, which needs these permissions besides `bedrock:InvokeModel`.
 */
const MARKETPLACE_HINT =
  " Stability AI models are offered through AWS Marketplace: the first use in an account also " +
  "needs aws-marketplace:Subscribe and aws-marketplace:ViewSubscriptions (once, by an " +
  "administrator, e.g. by opening the model in the Bedrock console).";

/** Base model id of an id that may carry a cross-region prefix (`us.`) or be an ARN. */
function isStabilityModel(modelId: string): boolean {
  return /(^|[./])stability\./.test(modelId);
}

/** True for a refusal by the content filters (Bedrock answers those as `ValidationException`). */
export function isContentFilterMessage(message: string): boolean {
  return /content (filter|moderation)|filtered|blocked by/i.test(message);
}

/**
 * Maps an error from `InvokeModel` to a typed error with a message a user or operator can act on.
 * Returns `null` for errors that are not Bedrock service errors (aborts, network faults), which
 * the caller rethrows as they are.
 */
export function mapBedrockError(error: unknown, modelId: string, region: string): HttpError | null {
  const { name, message } = describeSdkError(error);
  switch (name) {
    case "ValidationException":
      if (isContentFilterMessage(message))
        return new EngineRefusedError(`${CONTENT_FILTER_MESSAGE}: ${message}`);
      return new EngineRefusedError(`Bedrock model ${modelId} rejected the request: ${message}`);
    case "AccessDeniedException":
      return new ServiceUnavailableError(
        `This deployment has no access to Bedrock model ${modelId} in region ${region}; ` +
          `enable model access for ${modelId} in ${region} (Bedrock console, "Model access") ` +
          `and allow bedrock:InvokeModel on it.` +
          (isStabilityModel(modelId) ? MARKETPLACE_HINT : "") +
          ` The service said: ${message}`,
      );
    case "ResourceNotFoundException":
      return new ServiceUnavailableError(
        `Bedrock model ${modelId} is not available in region ${region}: ${message}`,
      );
    case "ThrottlingException":
    case "ServiceUnavailableException":
    case "ModelNotReadyException":
    case "ServiceQuotaExceededException":
      return new ServiceUnavailableError(
        `Bedrock model ${modelId} in ${region} is busy or unavailable (${name}): ${message}. Try again later.`,
      );
    case "ModelTimeoutException":
    case "TimeoutError":
      return new ServiceUnavailableError(
        `Bedrock model ${modelId} in ${region} did not answer in time (${name}): ${message}`,
      );
    case "InternalServerException":
    case "ModelErrorException":
      return new ServiceUnavailableError(`Bedrock model ${modelId} failed (${name}): ${message}`);
    default:
      return null;
  }
}
