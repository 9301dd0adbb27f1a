/** Where and how a client sends or fetches bytes directly (a presigned URL). */
export interface SignedRequest {
  url: string;
  method: "PUT" | "GET";
  headers: Record<string, string>;
  expiresAt: string;
}

export interface PutResult {
  bytes: number;
  sha256: string;
}

/**
 * Image bytes by key (`users/{userId}/…`). Adapters: `filesystem` (local), `s3` (AWS).
 */
export interface BlobStore {
  /** Stores bytes atomically (readers never see a partial object). */
  put(key: string, data: Uint8Array, options: { contentType: string }): Promise<PutResult>;
  /** Throws `NotFoundError` when the key does not exist. */
  get(key: string): Promise<Uint8Array>;
  exists(key: string): Promise<boolean>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** A short-lived request the client uses to upload at most `maxBytes` bytes to `key`. */
  signUpload(
    key: string,
    options: { contentType: string; maxBytes: number; expiresInSeconds: number },
  ): Promise<SignedRequest>;
  /** A short-lived URL to download `key`, served with `contentType` and as `filename` when given. */
  signDownload(
    key: string,
    options: { expiresInSeconds: number; contentType?: string; filename?: string },
  ): Promise<SignedRequest>;
}
