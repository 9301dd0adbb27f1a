import {
  ConflictError,
  NotFoundError,
  ValidationError,
  isTerminal,
  maskNamedByPrompt,
  newId,
  outpaintMarginsForAspectRatio,
  type CreateEditRequest,
  type EditRecord,
  type EngineCapabilities,
  type ImageRecord,
  type Margins,
  type Page,
} from "@retouch/core";
import { assertEngineAccepts, decodeMask, maskCoverage } from "@retouch/imaging";
import { intakeLimits, type ApiDependencies } from "../dependencies";
import type { ImageService } from "./image-service";

type Deps = Pick<ApiDependencies, "metadata" | "blobs" | "queue" | "engines" | "settings" | "logger">;

/** A link to one image of an edit, signed for a short while. */
export interface ImageLink {
  imageId: string;
  url: string;
  width: number | null;
  height: number | null;
  expiresAt: string;
}

/** An edit as the API returns it: the record plus links to its source and results. */
export interface EditView {
  edit: EditRecord;
  source: ImageLink | null;
  results: ImageLink[];
}

const NEEDS_IMAGE = new Set(["inpaint", "erase", "replace", "outpaint", "remove-background", "variation"]);
const NEEDS_MASK = new Set(["inpaint", "erase"]);
const NEEDS_PROMPT = new Set(["inpaint", "replace", "outpaint", "variation", "generate"]);

/**
 * Creates, lists, cancels and deletes a user's edits. Creating validates everything that can be
 * checked without running the engine, so bad input answers at once and no record is left.
 *
 * @example
 * ```ts
 * const edit = await edits.create(userId, { operation: "inpaint", imageId, maskImageId, count: 1 });
 * ```
 */
export class EditService {
  constructor(
    private readonly deps: Deps,
    private readonly images: ImageService,
  ) {}

  async create(userId: string, request: CreateEditRequest): Promise<EditRecord> {
    const engine = this.deps.engines.get(request.engine ?? this.deps.settings.defaultEngine);
    const caps = engine.capabilities;
    assertEngineAccepts(caps, request.operation, request.count);
    const source = await this.sourceFor(userId, request);
    const mask = await this.maskFor(userId, request, source, caps);
    const margins = request.operation === "outpaint" ? outpaintMargins(request, source) : null;
    if (caps.usesPrompt && NEEDS_PROMPT.has(request.operation) && !request.prompt) {
      throw new ValidationError(`A prompt is required for '${request.operation}' with engine '${caps.id}'`);
    }

    const now = new Date().toISOString();
    const edit: EditRecord = {
      id: newId("edt"),
      userId,
      status: "queued",
      operation: request.operation,
      engine: caps.id,
      prompt: request.prompt || null,
      negativePrompt: request.negativePrompt || null,
      count: request.count,
      seed: request.seed ?? Math.floor(Math.random() * 4_294_967_295),
      margins,
      options: request.options ?? {},
      sourceImageId: source?.id ?? null,
      maskImageId: mask?.id ?? null,
      resultImageIds: [],
      progress: 0,
      attempts: 0,
      durationMs: null,
      error: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.metadata.createEdit(edit);
    await this.deps.queue.enqueue({ editId: edit.id, attempt: 1 });
    this.deps.logger.info(
      { editId: edit.id, userId, operation: edit.operation, engine: edit.engine },
      "edit queued",
    );
    return edit;
  }

  private async sourceFor(userId: string, request: CreateEditRequest): Promise<ImageRecord | null> {
    if (!NEEDS_IMAGE.has(request.operation)) return null;
    if (!request.imageId)
      throw new ValidationError(`'${request.operation}' needs imageId: the image to edit`);
    return this.images.ready(userId, request.imageId);
  }

  private async maskFor(
    userId: string,
    request: CreateEditRequest,
    source: ImageRecord | null,
    caps: EngineCapabilities,
  ): Promise<ImageRecord | null> {
    if (!NEEDS_MASK.has(request.operation) || !source) return null;
    if (!request.maskImageId) {
      // Engines that find the area themselves may take it in words instead.
      if (maskNamedByPrompt(caps, request.options)) return null;
      throw new ValidationError(
        `'${request.operation}' needs maskImageId: a mask painted over the area to change` +
          (caps.maskPrompt
            ? ` (or options.maskPrompt naming it)`
            : `; engine '${caps.id}' cannot take options.maskPrompt instead`),
      );
    }
    const mask = await this.images.ready(userId, request.maskImageId);
    const decoded = await decodeMask(
      await this.deps.blobs.get(mask.key),
      { width: source.width ?? 0, height: source.height ?? 0 },
      intakeLimits(this.deps.settings),
    );
    if (maskCoverage(decoded) === 0) throw new ValidationError("The mask is empty: paint the area to change");
    return mask;
  }

  /** The user's edit; 404 for a missing edit or another user's. */
  async owned(userId: string, id: string): Promise<EditRecord> {
    const edit = await this.deps.metadata.getEdit(id);
    if (!edit || edit.userId !== userId) throw new NotFoundError("edit", id);
    return edit;
  }

  async view(edit: EditRecord): Promise<EditView> {
    const link = async (imageId: string): Promise<ImageLink | null> => {
      const image = await this.deps.metadata.getImage(imageId);
      if (!image || image.status !== "ready") return null;
      const signed = await this.images.signDownload(image);
      return {
        imageId,
        url: signed.url,
        width: image.width,
        height: image.height,
        expiresAt: signed.expiresAt,
      };
    };
    const results = await Promise.all(edit.resultImageIds.map(link));
    return {
      edit,
      source: edit.sourceImageId ? await link(edit.sourceImageId) : null,
      results: results.filter((r): r is ImageLink => r !== null),
    };
  }

  async list(userId: string, options: { limit: number; cursor?: string | null }): Promise<Page<EditView>> {
    const page = await this.deps.metadata.listEdits(userId, options);
    return {
      items: await Promise.all(page.items.map((edit) => this.view(edit))),
      nextCursor: page.nextCursor,
    };
  }

  /** Cancels a queued or running edit; a finished edit is returned unchanged. */
  async cancel(userId: string, id: string): Promise<EditRecord> {
    const edit = await this.owned(userId, id);
    if (isTerminal(edit.status)) return edit;
    try {
      const canceled = await this.deps.metadata.updateEdit(
        id,
        { status: "canceled", updatedAt: new Date().toISOString() },
        { expectedStatus: ["queued", "running"] },
      );
      await this.deps.queue.cancel(id);
      return canceled;
    } catch (error) {
      // The job finished between our read and our write: its outcome stands.
      if (error instanceof ConflictError) return this.owned(userId, id);
      throw error;
    }
  }

  /** Deletes the edit and its results (the source and mask stay: other edits may use them). */
  async delete(userId: string, id: string): Promise<void> {
    const edit = await this.cancel(userId, id);
    await this.deps.metadata.deleteEdit(id);
    for (const imageId of edit.resultImageIds) {
      const image = await this.deps.metadata.getImage(imageId);
      if (!image) continue;
      await this.deps.metadata.deleteImage(imageId);
      await this.deps.blobs.delete(image.key);
    }
  }
}

/** The margins an outpaint asks for: given per side, or computed from a target aspect ratio. */
function outpaintMargins(request: CreateEditRequest, source: ImageRecord | null): Margins {
  if (request.margins && request.aspectRatio) {
    throw new ValidationError("outpaint takes either margins or aspectRatio, not both");
  }
  if (request.margins) return request.margins;
  if (request.aspectRatio && source?.width && source.height) {
    return outpaintMarginsForAspectRatio(source.width, source.height, request.aspectRatio);
  }
  throw new ValidationError(
    "outpaint needs margins (pixels to add on each side) or an aspectRatio to extend the canvas to",
  );
}
