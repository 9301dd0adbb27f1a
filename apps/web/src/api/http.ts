/** The one error type of every API call: HTTP status, the API's error code, and a message a person can read. */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the request never got an answer (network down, server gone). */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds to wait before trying again (429). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

const STATUS_MESSAGES: Record<number, string> = {
  400: "The request was not valid.",
  401: "You are not signed in.",
  403: "You are not allowed to do that.",
  404: "It was not found.",
  409: "That cannot be done in the current state.",
  413: "The file is too large.",
  415: "That file type is not supported.",
  422: "The engine refused the request.",
  429: "Too many requests. Try again in a moment.",
  503: "Retouch is not available right now. Try again in a moment.",
};

/** Turns a non-2xx response into an `ApiError`, reading the API's `{error:{code,message}}` body if there is one. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = STATUS_MESSAGES[response.status] ?? `The server answered ${response.status}.`;
  let details: unknown;
  try {
    const body = (await response.json()) as {
      error?: { code?: unknown; message?: unknown; details?: unknown };
    };
    if (body && typeof body.error === "object" && body.error) {
      if (typeof body.error.code === "string") code = body.error.code;
      if (typeof body.error.message === "string" && body.error.message) message = body.error.message;
      details = body.error.details;
    }
  } catch {
    // not JSON: keep the generic message for the status
  }
  let retryAfterSeconds: number | undefined;
  const header = Number(response.headers.get("Retry-After"));
  if (Number.isFinite(header) && header > 0) retryAfterSeconds = header;
  const fromDetails = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof fromDetails === "number") retryAfterSeconds = fromDetails;
  return new ApiError(response.status, code, message, details, retryAfterSeconds);
}

/** `fetch` that turns a failed connection into an `ApiError` with status 0. */
export async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(
      0,
      "network_error",
      "Could not reach Retouch. Check your connection and try again.",
      error instanceof Error ? error.message : undefined,
    );
  }
}

/** POSTs JSON without credentials (the sign-in routes) and answers the parsed body. */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await send(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}
