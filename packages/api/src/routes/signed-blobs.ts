import { PayloadTooLargeError, UnsupportedMediaTypeError, type BlobStore } from "@retouch/core";
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env";
import type { SignedBlobEndpoint } from "../dependencies";

/**
 * The local stand-in for S3 presigned URLs: `PUT` and `GET /blobs/{key}` with a signature in the
 * query. Not in the OpenAPI document: clients only follow URLs the API hands out.
 */
export function registerSignedBlobRoutes(
  app: Hono<AppEnv>,
  blobs: BlobStore,
  signed: SignedBlobEndpoint,
  maxUploadBytes: number,
) {
  const tooLarge = () => {
    throw new PayloadTooLargeError(`The file is larger than the limit of ${formatMegabytes(maxUploadBytes)}`);
  };

  app.put("/blobs/:key{.+}", bodyLimit({ maxSize: maxUploadBytes, onError: tooLarge }), async (c) => {
    const grant = signed.verifySignedUrl("PUT", c.req.param("key"), new URL(c.req.url).searchParams);
    const contentType = c.req.header("Content-Type")?.split(";")[0]?.trim() ?? "";
    if (grant.contentType && contentType !== grant.contentType) {
      throw new UnsupportedMediaTypeError(
        `This upload URL expects Content-Type ${grant.contentType}, not ${contentType || "none"}`,
      );
    }
    const data = new Uint8Array(await c.req.arrayBuffer());
    if (grant.maxBytes !== null && data.byteLength > grant.maxBytes) tooLarge();
    const stored = await blobs.put(grant.key, data, { contentType });
    c.header("ETag", `"${stored.sha256}"`);
    return c.body(null, 200);
  });

  app.get("/blobs/:key{.+}", async (c) => {
    const grant = signed.verifySignedUrl("GET", c.req.param("key"), new URL(c.req.url).searchParams);
    const data = await blobs.get(grant.key);
    c.header("Content-Type", grant.contentType ?? "application/octet-stream");
    c.header("Cache-Control", "private, max-age=300");
    if (grant.filename) c.header("Content-Disposition", `inline; filename="${grant.filename}"`);
    return c.body(data as Uint8Array<ArrayBuffer>, 200);
  });
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`;
}
