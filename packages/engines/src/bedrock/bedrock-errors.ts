import { EngineRefusedError, ServiceUnavailableError, type HttpError } from "@retouch/core";

/** Bedrock errors worth another attempt after a pause. */
export const RETRYABLE_ERRORS = new Set([
  "ThrottlingException",
  "ServiceUnavailableException",
  "ModelNotReadyException",
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
          `and allow bedrock:InvokeModel on it. The service said: ${message}`,
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
    case "InternalServerException":
    case "ModelErrorException":
      return new ServiceUnavailableError(`Bedrock model ${modelId} failed (${name}): ${message}`);
    default:
      return null;
  }
}
