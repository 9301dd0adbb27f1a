import { createHash } from "node:crypto";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { NotFoundError, type BlobStore, type SignedRequest } from "@retouch/core";
import { assertBlobKey } from "../blob-key";

export interface S3BlobStoreOptions {
  /** An S3 client (for s3rver in tests: `forcePathStyle: true` and its endpoint). */
  client: S3Client;
  bucket: string;
}

const expiry = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

/**
 * `BlobStore` on Amazon S3. Uploads and downloads go straight between the browser and S3 with
 * presigned URLs, so image bytes never pass through API Gateway or Lambda. A presigned PUT
 * cannot cap its size: the upload's completion step enforces the byte limit (413) and deletes
 * what it refuses.
 *
 * @example
 * ```ts
 * const blobs = createBlobStore({ client: new S3Client({}), bucket: "retouch-images-123" });
 * ```
 */
export function createBlobStore(options: S3BlobStoreOptions): BlobStore {
  const { client, bucket } = options;
  const isMissing = (error: unknown) =>
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

  return {
    async put(key, data, { contentType }) {
      assertBlobKey(key);
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: data, ContentType: contentType }),
      );
      return { bytes: data.byteLength, sha256: createHash("sha256").update(data).digest("hex") };
    },

    async get(key) {
      assertBlobKey(key);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!object.Body) throw new NotFoundError("blob", key);
        return await object.Body.transformToByteArray();
      } catch (error) {
        if (isMissing(error)) throw new NotFoundError("blob", key);
        throw error;
      }
    },

    async exists(key) {
      assertBlobKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },

    async delete(key) {
      assertBlobKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },

    async signUpload(key, { contentType, expiresInSeconds }): Promise<SignedRequest> {
      assertBlobKey(key);
      const command = new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType });
      const url = await getSignedUrl(client, command, { expiresIn: expiresInSeconds });
      return {
        url,
        method: "PUT",
        headers: { "Content-Type": contentType },
        expiresAt: expiry(expiresInSeconds),
      };
    },

    async signDownload(key, { expiresInSeconds, contentType, filename }): Promise<SignedRequest> {
      assertBlobKey(key);
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(contentType ? { ResponseContentType: contentType } : {}),
        ...(filename ? { ResponseContentDisposition: `inline; filename="${filename}"` } : {}),
      });
      const url = await getSignedUrl(client, command, { expiresIn: expiresInSeconds });
      return { url, method: "GET", headers: {}, expiresAt: expiry(expiresInSeconds) };
    },
  };
}
