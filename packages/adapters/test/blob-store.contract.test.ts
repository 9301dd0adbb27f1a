import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
  type BlobStore,
} from "@retouch/core";
import { createFilesystemBlobStore, createS3BlobStore, type FilesystemBlobStore } from "../src/index";
import { startS3rver } from "./local-aws";
import { tempDir } from "./support";

/** Every BlobStore adapter; a new adapter (S3 on s3rver) adds one entry and must pass the same tests. */
const STORES: { name: string; create(): Promise<{ store: BlobStore; cleanup(): Promise<void> }> }[] = [
  {
    name: "filesystem",
    async create() {
      const temp = await tempDir("blobs");
      const store = createFilesystemBlobStore({
        rootDir: temp.dir,
        signingSecret: "test-secret",
        publicBaseUrl: "http://localhost:1/api",
      });
      return { store, cleanup: temp.remove };
    },
  },
  {
    name: "s3 (s3rver)",
    async create() {
      const s3 = await startS3rver();
      return { store: createS3BlobStore({ client: s3.client, bucket: s3.bucket }), cleanup: s3.stop };
    },
  },
];

const bytes = (text: string) => new TextEncoder().encode(text);

for (const adapter of STORES) {
  describe(`BlobStore contract: ${adapter.name}`, () => {
    let store: BlobStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await adapter.create());
    });
    afterEach(async () => {
      await cleanup();
    });

    it("stores, reads, overwrites and deletes bytes, reporting size and sha256", async () => {
      // Prepare
      const key = "users/u1/source/img_1";
      const data = bytes("first version");
      // Act
      const put = await store.put(key, data, { contentType: "image/png" });
      // Assess
      expect(put).toEqual({
        bytes: data.byteLength,
        sha256: createHash("sha256").update(data).digest("hex"),
      });
      expect(Buffer.from(await store.get(key)).toString()).toBe("first version");
      expect(await store.exists(key)).toBe(true);
      await store.put(key, bytes("second"), { contentType: "image/png" });
      expect(Buffer.from(await store.get(key)).toString()).toBe("second");
      await store.delete(key);
      expect(await store.exists(key)).toBe(false);
    });

    it("answers NotFoundError for a missing key and ignores deleting one", async () => {
      await expect(store.get("users/u1/source/missing")).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.delete("users/u1/source/missing")).resolves.toBeUndefined();
      expect(await store.exists("users/u1/source/missing")).toBe(false);
    });

    it("signs uploads and downloads that expire in the future", async () => {
      // Act
      const upload = await store.signUpload("users/u1/source/img_2", {
        contentType: "image/jpeg",
        maxBytes: 1000,
        expiresInSeconds: 900,
      });
      const download = await store.signDownload("users/u1/source/img_2", {
        expiresInSeconds: 60,
        filename: "a.jpg",
      });
      // Assess
      expect(upload).toMatchObject({ method: "PUT", headers: { "Content-Type": "image/jpeg" } });
      expect(download.method).toBe("GET");
      for (const signed of [upload, download]) {
        expect(signed.url).toContain("img_2");
        expect(new URL(signed.url).protocol).toMatch(/^https?:$/);
        expect(Date.parse(signed.expiresAt)).toBeGreaterThan(Date.now());
      }
    });
  });
}

describe("s3 blob store specifics", () => {
  it("accepts an upload and serves a download through presigned URLs", async () => {
    // Prepare
    const s3 = await startS3rver();
    const store = createS3BlobStore({ client: s3.client, bucket: s3.bucket });
    try {
      const upload = await store.signUpload("users/u1/source/img_p", {
        contentType: "image/png",
        maxBytes: 1000,
        expiresInSeconds: 60,
      });
      // Act
      const put = await fetch(upload.url, { method: "PUT", headers: upload.headers, body: "png bytes" });
      const download = await store.signDownload("users/u1/source/img_p", {
        expiresInSeconds: 60,
        contentType: "image/png",
        filename: "img_p.png",
      });
      const got = await fetch(download.url);
      // Assess
      expect(put.status).toBe(200);
      expect(await got.text()).toBe("png bytes");
      expect(got.headers.get("content-type")).toBe("image/png");
      expect(got.headers.get("content-disposition")).toContain("img_p.png");
      // s3rver does not check presigned signatures, so tampering is not tested here (S3 does check).
    } finally {
      await s3.stop();
    }
  });
});

describe("filesystem blob store specifics", () => {
  let store: FilesystemBlobStore;
  let root: { dir: string; remove(): Promise<void> };
  let clock = 1_000_000;

  beforeEach(async () => {
    root = await tempDir("fsblobs");
    clock = 1_000_000;
    store = createFilesystemBlobStore({
      rootDir: root.dir,
      signingSecret: "s3cret",
      publicBaseUrl: "http://localhost:8787/api",
      now: () => clock,
    });
  });
  afterEach(async () => {
    await root.remove();
  });

  const parse = (url: string) => {
    const parsed = new URL(url);
    return {
      key: decodeURIComponent(parsed.pathname.replace(/^\/api\/blobs\//, "")),
      query: parsed.searchParams,
    };
  };

  it("verifies its own signed URLs and returns the grant", async () => {
    // Prepare
    const upload = await store.signUpload("users/u1/mask/img_9", {
      contentType: "image/png",
      maxBytes: 500,
      expiresInSeconds: 60,
    });
    const { key, query } = parse(upload.url);
    // Act
    const grant = store.verifySignedUrl("PUT", key, query);
    // Assess
    expect(grant).toEqual({
      key: "users/u1/mask/img_9",
      maxBytes: 500,
      contentType: "image/png",
      filename: null,
    });
  });

  it("rejects a tampered signature, key, method, limit or content type", async () => {
    // Prepare
    const upload = await store.signUpload("users/u1/mask/img_9", {
      contentType: "image/png",
      maxBytes: 500,
      expiresInSeconds: 60,
    });
    const { key, query } = parse(upload.url);
    const tampered = (name: string, value: string) => {
      const copy = new URLSearchParams(query);
      copy.set(name, value);
      return copy;
    };
    // Act / Assess
    expect(() => store.verifySignedUrl("PUT", key, tampered("sig", "A".repeat(43)))).toThrow(
      UnauthorizedError,
    );
    expect(() => store.verifySignedUrl("PUT", "users/u2/mask/img_9", query)).toThrow(UnauthorizedError);
    expect(() => store.verifySignedUrl("GET", key, query)).toThrow(UnauthorizedError);
    expect(() => store.verifySignedUrl("PUT", key, tampered("maxBytes", "999999"))).toThrow(
      UnauthorizedError,
    );
    expect(() => store.verifySignedUrl("PUT", key, tampered("contentType", "text/html"))).toThrow(
      UnauthorizedError,
    );
    expect(() => store.verifySignedUrl("PUT", key, tampered("expires", String(clock + 99999)))).toThrow(
      UnauthorizedError,
    );
  });

  it("rejects an expired URL with 403", async () => {
    const download = await store.signDownload("users/u1/result/img_3", { expiresInSeconds: 60 });
    const { key, query } = parse(download.url);
    clock += 61;
    expect(() => store.verifySignedUrl("GET", key, query)).toThrow(ForbiddenError);
  });

  it.each(["../x", "/etc/passwd", "a/../../b", "a//b", "users/u1/./x", ""])(
    "refuses the key %j",
    async (key) => {
      await expect(store.put(key, bytes("x"), { contentType: "image/png" })).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(store.get(key)).rejects.toBeInstanceOf(ValidationError);
    },
  );

  it("leaves no temp file behind, even with concurrent writes to one key", async () => {
    // Act
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.put("users/u1/source/img_c", bytes(`version ${i}`.repeat(1000)), { contentType: "image/png" }),
      ),
    );
    // Assess
    const files = await readdir(join(root.dir, "users/u1/source"));
    expect(files).toEqual(["img_c"]);
    expect(Buffer.from(await store.get("users/u1/source/img_c")).toString()).toMatch(/^(version \d)+$/);
  });
});
