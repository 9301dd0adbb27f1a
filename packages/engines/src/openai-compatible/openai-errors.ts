import { z } from "zod";
import { EngineRefusedError, ServiceUnavailableError, type HttpError } from "@retouch/core";
import { CONTENT_FILTER_MESSAGE } from "../bedrock/bedrock-errors";

/** The error body OpenAI-compatible servers send: `{"error": {"message", "type", "code", "param"}}`. */
const ErrorBodySchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
  }),
});

export interface ServerError {
  status: number;
  message: string;
  code: string | null;
}

/** Reads a failed response's error; a body that is not the usual JSON still yields its status and text. */
export async function readServerError(response: Response): Promise<ServerError> {
  const text = await response.text().catch(() => "");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = ErrorBodySchema.safeParse(json);
  const fallback = text.trim().slice(0, 300) || response.statusText || "no details";
  if (!parsed.success) return { status: response.status, message: fallback, code: null };
  const { message, code, type } = parsed.data.error;
  return {
    status: response.status,
    message: message?.trim() || fallback,
    code: code != null ? String(code) : (type ?? null),
  };
}

/** Throttling, quota-free 429s and server faults: worth another attempt after a pause. */
export function isRetryableStatus(error: ServerError): boolean {
  if (error.status === 429) return error.code !== "insufficient_quota";
  return error.status >= 500;
}

/** True when the server's safety system refused the prompt or the image. */
export function isContentPolicyRefusal(error: ServerError): boolean {
  return (
    error.code === "content_policy_violation" ||
    error.code === "moderation_blocked" ||
    /content policy|safety system|moderation/i.test(error.message)
  );
}

/**
 * Maps a failed response to a typed error a user or operator can act on. The API key is never
 * part of a message: the operator is told which variable to check instead.
 */
export function mapServerError(error: ServerError, baseUrl: string, attempts: number): HttpError {
  const said = `The server said: ${error.message}`;
  if (isContentPolicyRefusal(error))
    return new EngineRefusedError(`${CONTENT_FILTER_MESSAGE}: ${error.message}`);
  switch (error.status) {
    case 401:
      // The server's message is left out: OpenAI's echoes part of the key it refused.
      return new ServiceUnavailableError(
        `The OpenAI-compatible server at ${baseUrl} refused the API key (401); set a valid key in ` +
          `RETOUCH_OPENAI_API_KEY (or OPENAI_API_KEY)` +
          (error.code ? ` (error code ${error.code})` : ""),
      );
    case 403:
      return new ServiceUnavailableError(
        `The API key has no access to this model or endpoint at ${baseUrl} (403). ${said}`,
      );
    case 404:
      return new ServiceUnavailableError(
        `The OpenAI-compatible server at ${baseUrl} has no such model or endpoint (404); check ` +
          `RETOUCH_OPENAI_BASE_URL and RETOUCH_OPENAI_MODEL. ${said}`,
      );
    case 429:
      if (error.code === "insufficient_quota") {
        return new ServiceUnavailableError(`The API key's quota at ${baseUrl} is used up. ${said}`);
      }
      return new ServiceUnavailableError(
        `The OpenAI-compatible server at ${baseUrl} is still throttling after ${attempts} attempts; ` +
          `try again later. ${said}`,
      );
  }
  if (error.status >= 500) {
    return new ServiceUnavailableError(
      `The OpenAI-compatible server at ${baseUrl} failed ${attempts} times (${error.status}); try again later. ${said}`,
    );
  }
  return new EngineRefusedError(`The OpenAI-compatible server rejected the request: ${error.message}`);
}
