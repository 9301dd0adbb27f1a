import {
  ConflictError,
  HttpError,
  JobBusyError,
  JobInterruptedError,
  NotFoundError,
  imageKey,
  newId,
  type EditError,
  type EditRecord,
  type EditUpdateConditions,
  type ImageRecord,
  type Job,
  type JobHandler,
} from "@retouch/core";
import { decodeMask, decodeRaster, encodePng, runEnginePipeline } from "@retouch/imaging";
import { intakeLimits, type ApiDependencies } from "../dependencies";

type Deps = Pick<ApiDependencies, "metadata" | "blobs" | "engines" | "settings" | "logger">;

/** Progress is written at most this often, so a fast engine does not flood the store. */
const PROGRESS_WRITE_INTERVAL_MS = 400;

/**
 * Runs edit jobs: loads the source and mask, runs the engine through the imaging pipeline,
 * stores the results and records the outcome. A failed edit keeps its source, its record and
 * the reason. Used by every job queue (in-process locally, SQS on AWS).
 *
 * @example
 * ```ts
 * await queue.start(new EditRunner(deps));
 * ```
 */
export class EditRunner implements JobHandler {
  constructor(private readonly deps: Deps) {}

  async run(job: Job, signal: AbortSignal): Promise<void> {
    const started = Date.now();
    const edit = await this.begin(job);
    if (!edit) return;
    const log = this.deps.logger.child({ editId: edit.id, attempt: job.attempt });
    let stored: ImageRecord[] = [];
    try {
      const results = await this.execute(edit, signal);
      stored = await this.storeResults(edit, results);
      await this.deps.metadata.updateEdit(
        edit.id,
        {
          status: "succeeded",
          resultImageIds: stored.map((image) => image.id),
          progress: 1,
          durationMs: Date.now() - started,
          updatedAt: new Date().toISOString(),
        },
        { expectedStatus: ["running"] },
      );
      log.info({ durationMs: Date.now() - started, results: stored.length }, "edit succeeded");
    } catch (error) {
      await this.discard(stored);
      await this.settleFailure(edit, error, signal, Date.now() - started);
    }
  }

  async abandon(job: Job, reason: string): Promise<void> {
    this.deps.logger.warn({ editId: job.editId, attempt: job.attempt }, "edit abandoned");
    await this.fail(job.editId, { code: "interrupted", message: reason }, null);
  }

  /**
   * Moves the edit to `running`; null when it no longer wants running (canceled, deleted or
   * settled). A `running` edit is taken over only by a later attempt — the redelivery after a
   * crashed or timed-out run; a duplicate delivery while it runs throws {@link JobBusyError}, so
   * the engine never runs twice for one attempt and the message is not lost.
   */
  private async begin(job: Job): Promise<EditRecord | null> {
    const moveToRunning = async (conditions: EditUpdateConditions) => {
      try {
        return await this.deps.metadata.updateEdit(
          job.editId,
          { status: "running", attempts: job.attempt, progress: 0, updatedAt: new Date().toISOString() },
          conditions,
        );
      } catch (error) {
        if (error instanceof ConflictError || error instanceof NotFoundError) return null;
        throw error;
      }
    };
    const edit =
      (await moveToRunning({ expectedStatus: ["queued"] })) ??
      (await moveToRunning({ expectedStatus: ["running"], attemptsBelow: job.attempt }));
    if (edit) return edit;
    const current = await this.deps.metadata.getEdit(job.editId);
    if (current?.status === "running") throw new JobBusyError(job.editId, current.attempts);
    return null;
  }

  private async execute(edit: EditRecord, signal: AbortSignal) {
    const engine = this.deps.engines.get(edit.engine);
    const sourceRecord = edit.sourceImageId ? await this.deps.metadata.getImage(edit.sourceImageId) : null;
    const maskRecord = edit.maskImageId ? await this.deps.metadata.getImage(edit.maskImageId) : null;
    if (edit.sourceImageId && !sourceRecord) throw new NotFoundError("source image", edit.sourceImageId);
    if (edit.maskImageId && !maskRecord) throw new NotFoundError("mask image", edit.maskImageId);
    const source = sourceRecord ? await decodeRaster(await this.deps.blobs.get(sourceRecord.key)) : null;
    const mask =
      maskRecord && source
        ? await decodeMask(
            await this.deps.blobs.get(maskRecord.key),
            source,
            intakeLimits(this.deps.settings),
          )
        : null;
    let lastWrite = 0;
    return runEnginePipeline({
      engine,
      operation: edit.operation,
      source,
      mask,
      margins: edit.margins,
      prompt: edit.prompt,
      negativePrompt: edit.negativePrompt,
      count: edit.count,
      seed: edit.seed,
      options: edit.options,
      signal,
      onProgress: (fraction) => {
        const now = Date.now();
        if (now - lastWrite < PROGRESS_WRITE_INTERVAL_MS || fraction >= 1) return;
        lastWrite = now;
        this.deps.metadata
          .updateEdit(
            edit.id,
            { progress: fraction, updatedAt: new Date().toISOString() },
            { expectedStatus: ["running"] },
          )
          .catch(() => undefined); // a canceled edit refuses progress; the abort signal ends the run
      },
    });
  }

  private async storeResults(
    edit: EditRecord,
    results: Awaited<ReturnType<typeof runEnginePipeline>>,
  ): Promise<ImageRecord[]> {
    const stored: ImageRecord[] = [];
    for (const raster of results) {
      const id = newId("img");
      const key = imageKey(edit.userId, "result", id);
      const png = await encodePng(raster);
      const put = await this.deps.blobs.put(key, png, { contentType: "image/png" });
      const now = new Date().toISOString();
      const image: ImageRecord = {
        id,
        userId: edit.userId,
        purpose: "result",
        status: "ready",
        key,
        contentType: "image/png",
        format: "png",
        width: raster.width,
        height: raster.height,
        bytes: put.bytes,
        sha256: put.sha256,
        createdAt: now,
        updatedAt: now,
      };
      await this.deps.metadata.createImage(image);
      stored.push(image);
    }
    return stored;
  }

  /** Removes results of a run whose outcome could not be recorded (canceled or deleted meanwhile). */
  private async discard(images: ImageRecord[]): Promise<void> {
    for (const image of images) {
      await this.deps.metadata.deleteImage(image.id);
      await this.deps.blobs.delete(image.key);
    }
  }

  private async settleFailure(edit: EditRecord, error: unknown, signal: AbortSignal, durationMs: number) {
    const log = this.deps.logger.child({ editId: edit.id });
    if (signal.aborted && signal.reason instanceof JobInterruptedError) {
      log.info("edit interrupted by shutdown; it will resume");
      await this.deps.metadata
        .updateEdit(
          edit.id,
          { status: "queued", updatedAt: new Date().toISOString() },
          { expectedStatus: ["running"] },
        )
        .catch(() => undefined);
      return;
    }
    if (signal.aborted) {
      log.info("edit canceled");
      return; // the cancel request already recorded `canceled`
    }
    if (error instanceof ConflictError || error instanceof NotFoundError) {
      const current = await this.deps.metadata.getEdit(edit.id);
      if (!current || current.status === "canceled") return;
    }
    log.warn({ err: error }, "edit failed");
    await this.fail(edit.id, describeFailure(error), durationMs);
  }

  private async fail(editId: string, reason: EditError, durationMs: number | null): Promise<void> {
    try {
      await this.deps.metadata.updateEdit(
        editId,
        { status: "failed", error: reason, durationMs, updatedAt: new Date().toISOString() },
        { expectedStatus: ["queued", "running"] },
      );
    } catch (error) {
      if (!(error instanceof ConflictError || error instanceof NotFoundError)) throw error;
    }
  }
}

/** A reason safe to show the user: typed errors keep their message, others a bounded one. */
function describeFailure(error: unknown): EditError {
  if (error instanceof HttpError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: "engine_failed", message: `The engine failed: ${message}`.slice(0, 500) };
}
