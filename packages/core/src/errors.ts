/**
 * Typed errors that know their HTTP status. Every layer throws these; the API maps them to
 * responses in one place (`toErrorResponse`), so a status code is decided exactly once.
 *
 * @example
 * ```ts
 * throw new NotFoundError("edit", id);
 * // → 404 {"error":{"code":"not_found","message":"edit 'e1' was not found"}}
 * ```
 */
export abstract class HttpError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;
  readonly details?: unknown;

  constructor(message: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    if (details !== undefined) this.details = details;
  }

  /** The wire form of every error the API returns. */
  toJSON(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

/** JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** 400: the request is well-formed HTTP but its content is invalid. */
export class ValidationError extends HttpError {
  readonly statusCode = 400;
  readonly code = "validation_failed";
}

/** 401: no credentials, or credentials that could not be verified. */
export class UnauthorizedError extends HttpError {
  readonly statusCode = 401;
  readonly code = "unauthorized";
}

/** 403: authenticated, but not allowed (e.g. a challenge must be answered first). */
export class ForbiddenError extends HttpError {
  readonly statusCode = 403;
  readonly code = "forbidden";
}

/** 404: missing — and also what another user's resource answers, so ids leak nothing. */
export class NotFoundError extends HttpError {
  readonly statusCode = 404;
  readonly code = "not_found";
  constructor(kind: string, id?: string) {
    super(id === undefined ? `${kind} was not found` : `${kind} '${id}' was not found`);
  }
}

/** 409: the resource is in a state that does not allow the request. */
export class ConflictError extends HttpError {
  readonly statusCode = 409;
  readonly code = "conflict";
}

/** 413: a body or file over the configured byte or pixel limit. */
export class PayloadTooLargeError extends HttpError {
  readonly statusCode = 413;
  readonly code = "payload_too_large";
}

/** 415: a file that is not one of the accepted image formats. */
export class UnsupportedMediaTypeError extends HttpError {
  readonly statusCode = 415;
  readonly code = "unsupported_media_type";
}

/** 422: the engine refused the request (unsupported operation, content filter, limits). */
export class EngineRefusedError extends HttpError {
  readonly statusCode = 422;
  readonly code = "engine_refused";
}

/** 429: too many requests or failed sign-ins; `retryAfterSeconds` goes into `Retry-After`. */
export class TooManyRequestsError extends HttpError {
  readonly statusCode = 429;
  readonly code = "too_many_requests";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryAfterSeconds });
  }
}

/** 503: a dependency is unavailable right now; the client may retry. */
export class ServiceUnavailableError extends HttpError {
  readonly statusCode = 503;
  readonly code = "service_unavailable";
}

/** 500: a fault of ours; the message is generic so internals never leak. */
export class InternalError extends HttpError {
  readonly statusCode = 500;
  readonly code = "internal_error";
  constructor(message = "An internal error occurred") {
    super(message);
  }
}

/**
 * Maps anything thrown to an `HttpError`. Unknown errors become a generic 500 so their
 * messages (which may hold paths or secrets) never reach a client.
 *
 * @example
 * ```ts
 * const err = toHttpError(e); return c.json(err.toJSON(), err.statusCode);
 * ```
 */
export function toHttpError(error: unknown): HttpError {
  return error instanceof HttpError ? error : new InternalError();
}
