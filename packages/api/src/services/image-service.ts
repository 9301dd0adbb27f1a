import {
  ConflictError,
  NotFoundError,
  imageKey,
  newId,
  uploadKey,
  type ImagePurpose,
  type ImageRecord,
  type SignedRequest,
} from "@retouch/core";
import { normalizeUpload } from "@retouch/imaging";
import { intakeLimits, type ApiDependencies } from "../dependencies";

type Deps = Pick<ApiDependencies, "metadata" | "blobs" | "settings" | "logger">;

/**
 * Images of one user: reserve an upload, validate it when it completes, download, delete.
 * Another user's image answers 404, the same as a missing one.
 *
 * @example
 * ```ts
 * const { image, upload } = await images.reserve(userId, { purpose: "source", contentType: "image/png" });
 * // client PUTs the bytes to upload.url, then:
 * await images.complete(userId, image.id);
 * ```
 */
export class ImageService {
  constructor(private readonly deps: Deps) {}

  async reserve(
    userId: string,
    input: { purpose: Exclude<ImagePurpose, "result">; contentType: string },
  ): Promise<{ image: ImageRecord; upload: SignedRequest }> {
    const id = newId("img");
    const now = new Date().toISOString();
    const image: ImageRecord = {
      id,
      userId,
      purpose: input.purpose,
      status: "pending",
      key: imageKey(userId, input.purpose, id),
      contentType: input.contentType,
      format: null,
      width: null,
      height: null,
      bytes: null,
      sha256: null,
      createdAt: now,
      updatedAt: now,
    };
    const upload = await this.deps.blobs.signUpload(uploadKey(image.key), {
      contentType: input.contentType,
      maxBytes: this.deps.settings.maxUploadBytes,
      expiresInSeconds: this.deps.settings.uploadUrlTtlSeconds,
    });
    await this.deps.metadata.createImage(image);
    return { image, upload };
  }

  /**
   * Validates the uploaded bytes and moves them from the upload key to the image's key. A rejected
   * upload loses its record and its file, so nothing half-made remains; the error (413, 415) says why.
   */
  async complete(userId: string, id: string): Promise<ImageRecord> {
    const image = await this.owned(userId, id);
    if (image.status === "ready") return image;
    const incoming = uploadKey(image.key);
    if (!(await this.deps.blobs.exists(incoming))) {
      throw new ConflictError(
        `No bytes were uploaded for image '${id}' yet; PUT them to the upload URL first`,
      );
    }
    const uploaded = await this.deps.blobs.get(incoming);
    let normalized;
    try {
      normalized = await normalizeUpload(uploaded, intakeLimits(this.deps.settings));
    } catch (error) {
      await this.deps.blobs.delete(incoming);
      await this.deps.metadata.deleteImage(id);
      throw error;
    }
    const stored = await this.deps.blobs.put(image.key, normalized.data, {
      contentType: normalized.contentType,
    });
    const ready = await this.deps.metadata.updateImage(id, {
      status: "ready",
      format: normalized.format,
      contentType: normalized.contentType,
      width: normalized.width,
      height: normalized.height,
      bytes: stored.bytes,
      sha256: stored.sha256,
      updatedAt: new Date().toISOString(),
    });
    await this.deps.blobs.delete(incoming);
    return ready;
  }

  /** The user's image, ready or not; 404 for a missing image or another user's. */
  async owned(userId: string, id: string): Promise<ImageRecord> {
    const image = await this.deps.metadata.getImage(id);
    if (!image || image.userId !== userId) throw new NotFoundError("image", id);
    return image;
  }

  /** The user's image once its upload has completed; 409 before. */
  async ready(userId: string, id: string): Promise<ImageRecord> {
    const image = await this.owned(userId, id);
    if (image.status !== "ready") {
      throw new ConflictError(`Image '${id}' is not ready; complete its upload first`);
    }
    return image;
  }

  async download(userId: string, id: string): Promise<{ image: ImageRecord; download: SignedRequest }> {
    const image = await this.ready(userId, id);
    return { image, download: await this.signDownload(image) };
  }

  signDownload(image: ImageRecord): Promise<SignedRequest> {
    const extension = image.format === "jpeg" ? "jpg" : (image.format ?? "png");
    return this.deps.blobs.signDownload(image.key, {
      expiresInSeconds: this.deps.settings.downloadUrlTtlSeconds,
      contentType: image.contentType,
      filename: `${image.id}.${extension}`,
    });
  }

  async delete(userId: string, id: string): Promise<void> {
    const image = await this.owned(userId, id);
    await this.deps.metadata.deleteImage(id);
    await this.deps.blobs.delete(image.key);
    if (image.status === "pending") await this.deps.blobs.delete(uploadKey(image.key));
  }
}
