import type { EditRecord, EditStatus, ImageRecord } from "../schemas";

/** A page of results and the opaque cursor of the next page, if any. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Fields of an edit that change after creation. */
export type EditPatch = Partial<
  Pick<
    EditRecord,
    "status" | "resultImageIds" | "progress" | "attempts" | "durationMs" | "error" | "updatedAt"
  >
>;

/** Fields of an image that change after creation (when its upload completes). */
export type ImagePatch = Partial<
  Pick<
    ImageRecord,
    "status" | "format" | "width" | "height" | "bytes" | "sha256" | "contentType" | "updatedAt"
  >
>;

/** Conditions of {@link MetadataStore.updateEdit}; every one given must hold. */
export interface EditUpdateConditions {
  expectedStatus?: readonly EditStatus[];
  attemptsBelow?: number;
}

/**
 * Records of images and edits. Adapters: `sqlite` (local), `dynamodb` (AWS).
 * Stores do not check ownership; the service layer does (and answers 404 for other users).
 */
export interface MetadataStore {
  createImage(image: ImageRecord): Promise<void>;
  getImage(id: string): Promise<ImageRecord | null>;
  /** Throws `NotFoundError` when the image does not exist. */
  updateImage(id: string, patch: ImagePatch): Promise<ImageRecord>;
  deleteImage(id: string): Promise<void>;

  createEdit(edit: EditRecord): Promise<void>;
  getEdit(id: string): Promise<EditRecord | null>;
  /**
   * Applies `patch` atomically. With `expectedStatus`, the write happens only while the stored
   * status is one of those, and with `attemptsBelow` only while the stored `attempts` is lower,
   * else it throws `ConflictError` — no lost updates between workers, and a job's attempt takes
   * over a running edit only from an earlier attempt. Throws `NotFoundError` when the edit does
   * not exist.
   */
  updateEdit(id: string, patch: EditPatch, options?: EditUpdateConditions): Promise<EditRecord>;
  deleteEdit(id: string): Promise<void>;
  /** The user's edits, newest first (`createdAt` then `id`, descending). */
  listEdits(userId: string, options: { limit: number; cursor?: string | null }): Promise<Page<EditRecord>>;
  /**
   * Every user's edits in one of `statuses`, oldest first, at most `limit`. For recovery at
   * start-up (an edit recorded but never queued), not for request paths.
   */
  listEditsByStatus(statuses: readonly EditStatus[], limit: number): Promise<EditRecord[]>;
}
