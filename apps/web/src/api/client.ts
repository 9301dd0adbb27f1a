import type { AuthProvider } from "../auth/auth-provider";
import { ApiError, errorFromResponse, send } from "./http";
import type {
  CreateEditRequest,
  EditPage,
  EditRecord,
  EditView,
  EnginesResponse,
  ImageLink,
  ImageRecord,
  SignedRequest,
} from "./types";

export { ApiError };

export type UploadPurpose = "source" | "mask";

/**
 * Typed client of the Retouch API. Every call carries `Authorization: Bearer <access token>`
 * from the auth provider; a 401 is answered once by refreshing the tokens and trying again.
 * Every failure is an `ApiError` carrying status, code and the API's message.
 *
 * @example
 * ```ts
 * const api = new ApiClient("/api", auth);
 * const { engines } = await api.engines();
 * ```
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly auth: AuthProvider,
  ) {}

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    options: { signal?: AbortSignal } = {},
  ): Promise<T> {
    const attempt = async (token: string | null) =>
      send(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: options.signal ?? null,
      });
    let response = await attempt(await this.auth.getAccessToken());
    if (response.status === 401) {
      let token: string | null = null;
      try {
        token = (await this.auth.refresh()).accessToken;
      } catch (error) {
        if (error instanceof ApiError && error.status !== 0) throw error;
        throw await errorFromResponse(response);
      }
      response = await attempt(token);
    }
    if (!response.ok) throw await errorFromResponse(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  engines(): Promise<EnginesResponse> {
    return this.request("GET", "/engines");
  }

  /** Reserve → signed upload → complete; answers the completed image record (width, height, format). */
  async uploadImage(
    body: Blob | Uint8Array<ArrayBuffer>,
    contentType: string,
    purpose: UploadPurpose,
    signal?: AbortSignal,
  ): Promise<ImageRecord> {
    const reserved = await this.request<{ image: ImageRecord; upload: SignedRequest }>(
      "POST",
      "/images",
      { purpose, contentType },
      signal ? { signal } : {},
    );
    const put = await send(reserved.upload.url, {
      method: reserved.upload.method,
      headers: reserved.upload.headers,
      body,
      signal: signal ?? null,
    });
    if (!put.ok) throw await errorFromResponse(put);
    const completed = await this.request<{ image: ImageRecord }>(
      "POST",
      `/images/${encodeURIComponent(reserved.image.id)}/complete`,
      undefined,
      signal ? { signal } : {},
    );
    return completed.image;
  }

  image(id: string): Promise<{ image: ImageRecord; download: ImageLink }> {
    return this.request("GET", `/images/${encodeURIComponent(id)}`);
  }

  createEdit(request: CreateEditRequest): Promise<{ edit: EditRecord }> {
    return this.request("POST", "/edits", request);
  }

  edit(id: string, signal?: AbortSignal): Promise<EditView> {
    return this.request("GET", `/edits/${encodeURIComponent(id)}`, undefined, signal ? { signal } : {});
  }

  listEdits(options: { limit?: number; cursor?: string | null } = {}): Promise<EditPage> {
    const query = new URLSearchParams({ limit: String(options.limit ?? 12) });
    if (options.cursor) query.set("cursor", options.cursor);
    return this.request("GET", `/edits?${query}`);
  }

  cancelEdit(id: string): Promise<{ edit: EditRecord }> {
    return this.request("POST", `/edits/${encodeURIComponent(id)}/cancel`);
  }

  deleteEdit(id: string): Promise<void> {
    return this.request("DELETE", `/edits/${encodeURIComponent(id)}`);
  }
}
