import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { assertBlobKey } from "../blob-key";
import {
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  type BlobStore,
  type SignedRequest,
} from "@retouch/core";

/** A grant read back from a verified signed URL. */
export interface SignedGrant {
  key: string;
  maxBytes: number | null;
  contentType: string | null;
  filename: string | null;
}

/** A `BlobStore` on disk whose signed URLs this server itself verifies and serves. */
export interface FilesystemBlobStore extends BlobStore {
  /**
   * Checks a signed URL (HMAC-SHA256 over method, key, expiry and every parameter).
   * Throws `UnauthorizedError` for a bad or missing signature, `ForbiddenError` once expired.
   */
  verifySignedUrl(method: "PUT" | "GET", key: string, query: URLSearchParams): SignedGrant;
}

export interface FilesystemBlobStoreOptions {
  rootDir: string;
  signingSecret: string | Uint8Array;
  /** Where the server serves `/blobs/{key}`, e.g. `http://localhost:8787/api`. */
  publicBaseUrl: string;
  /** Seconds clock, for tests. */
  now?: () => number;
}

const SIGNED_PARAMS = ["expires", "maxBytes", "contentType", "filename"] as const;

/**
 * `BlobStore` on the local filesystem. Writes are atomic (temp file, fsync, rename), so a
 * reader never sees half a file; signed URLs stand in for S3's presigned URLs.
 *
 * @example
 * ```ts
 * const blobs = createBlobStore({ rootDir: ".retouch-data/blobs", signingSecret, publicBaseUrl: "http://localhost:8787/api" });
 * const { url } = await blobs.signUpload("users/u1/source/img_1", { contentType: "image/png", maxBytes: 1e6, expiresInSeconds: 900 });
 * ```
 */
export function createBlobStore(options: FilesystemBlobStoreOptions): FilesystemBlobStore {
  const { rootDir } = options;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const base = options.publicBaseUrl.replace(/\/$/, "");
  const pathOf = (key: string) => {
    assertBlobKey(key);
    return join(rootDir, key);
  };

  const signature = (method: string, key: string, params: URLSearchParams) => {
    const canonical = [method, key, ...SIGNED_PARAMS.map((name) => `${name}=${params.get(name) ?? ""}`)].join(
      "\n",
    );
    return createHmac("sha256", options.signingSecret).update(canonical).digest();
  };

  const sign = (
    method: "PUT" | "GET",
    key: string,
    expiresInSeconds: number,
    extra: Partial<Record<(typeof SIGNED_PARAMS)[number], string>>,
  ): { url: string; expiresAt: string } => {
    assertBlobKey(key);
    const expires = now() + expiresInSeconds;
    const params = new URLSearchParams({ expires: String(expires) });
    for (const [name, value] of Object.entries(extra)) if (value !== undefined) params.set(name, value);
    params.set("sig", signature(method, key, params).toString("base64url"));
    return { url: `${base}/blobs/${key}?${params}`, expiresAt: new Date(expires * 1000).toISOString() };
  };

  return {
    async put(key, data, _putOptions) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
      const handle = await open(temp, "wx", 0o600);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await rename(temp, path);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return { bytes: data.byteLength, sha256: createHash("sha256").update(data).digest("hex") };
    },

    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new NotFoundError("blob", key);
        throw error;
      }
    },

    async exists(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch {
        return false;
      }
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },

    async signUpload(key, { contentType, maxBytes, expiresInSeconds }): Promise<SignedRequest> {
      const { url, expiresAt } = sign("PUT", key, expiresInSeconds, {
        contentType,
        maxBytes: String(maxBytes),
      });
      return { url, method: "PUT", headers: { "Content-Type": contentType }, expiresAt };
    },

    async signDownload(key, { expiresInSeconds, contentType, filename }): Promise<SignedRequest> {
      const { url, expiresAt } = sign("GET", key, expiresInSeconds, {
        ...(contentType ? { contentType } : {}),
        ...(filename ? { filename } : {}),
      });
      return { url, method: "GET", headers: {}, expiresAt };
    },

    verifySignedUrl(method, key, query) {
      assertBlobKey(key);
      const given = Buffer.from(query.get("sig") ?? "", "base64url");
      const expected = signature(method, key, query);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new UnauthorizedError("This link's signature is not valid");
      }
      const expires = Number(query.get("expires"));
      if (!Number.isFinite(expires) || expires < now()) throw new ForbiddenError("This link has expired");
      const maxBytes = query.get("maxBytes");
      return {
        key,
        maxBytes: maxBytes === null ? null : Number(maxBytes),
        contentType: query.get("contentType"),
        filename: query.get("filename"),
      };
    },
  };
}
