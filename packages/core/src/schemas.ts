import { z } from "zod";
import { ASPECT_RATIO_PATTERN, MAX_OUTPAINT_MARGIN } from "./outpaint-margins";

/** Operations an edit can ask for (DESIGN.md, "Edits"). */
export const OperationSchema = z.enum([
  "inpaint",
  "erase",
  "replace",
  "outpaint",
  "remove-background",
  "variation",
  "generate",
]);
export type Operation = z.infer<typeof OperationSchema>;

/** Formats accepted at intake. Everything else answers 415. */
export const ImageFormatSchema = z.enum(["png", "jpeg", "webp"]);
export type ImageFormat = z.infer<typeof ImageFormatSchema>;

export const ImageStatusSchema = z.enum(["pending", "ready"]);
export type ImageStatus = z.infer<typeof ImageStatusSchema>;

/** Why an image exists: uploaded by the user (source or mask) or produced by an edit. */
export const ImagePurposeSchema = z.enum(["source", "mask", "result"]);
export type ImagePurpose = z.infer<typeof ImagePurposeSchema>;

export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "ids contain only letters, digits, '-' and '_'");

/** An image record. Width, height, format, bytes and sha256 are set when the upload completes. */
export const ImageRecordSchema = z.object({
  id: IdSchema,
  userId: z.string(),
  purpose: ImagePurposeSchema,
  status: ImageStatusSchema,
  key: z.string(),
  contentType: z.string(),
  format: ImageFormatSchema.nullable(),
  width: z.number().int().positive().nullable(),
  height: z.number().int().positive().nullable(),
  bytes: z.number().int().nonnegative().nullable(),
  sha256: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ImageRecord = z.infer<typeof ImageRecordSchema>;

export const EditStatusSchema = z.enum(["queued", "running", "succeeded", "failed", "canceled"]);
export type EditStatus = z.infer<typeof EditStatusSchema>;

/** Per-side margins in pixels for `outpaint`. */
export const MarginsSchema = z
  .object({
    top: z.number().int().min(0).max(MAX_OUTPAINT_MARGIN).default(0),
    right: z.number().int().min(0).max(MAX_OUTPAINT_MARGIN).default(0),
    bottom: z.number().int().min(0).max(MAX_OUTPAINT_MARGIN).default(0),
    left: z.number().int().min(0).max(MAX_OUTPAINT_MARGIN).default(0),
  })
  .refine((m) => m.top + m.right + m.bottom + m.left > 0, "at least one margin must be greater than 0");
export type Margins = z.infer<typeof MarginsSchema>;

/** Engine-specific options; each engine validates its own keys. */
export const EditOptionsSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);
export type EditOptions = z.infer<typeof EditOptionsSchema>;

export const PROMPT_MAX_LENGTH = 2000;

/** Body of `POST /edits`. */
export const CreateEditRequestSchema = z.object({
  operation: OperationSchema,
  imageId: IdSchema.optional(),
  maskImageId: IdSchema.optional(),
  prompt: z.string().trim().max(PROMPT_MAX_LENGTH).optional(),
  negativePrompt: z.string().trim().max(PROMPT_MAX_LENGTH).optional(),
  count: z.number().int().min(1).max(8).default(1),
  seed: z.number().int().min(0).max(4_294_967_295).optional(),
  engine: z.string().min(1).max(64).optional(),
  margins: MarginsSchema.optional(),
  /** `outpaint` only, instead of `margins`: extend the canvas, centred, to this `width:height`. */
  aspectRatio: z
    .string()
    .trim()
    .regex(
      ASPECT_RATIO_PATTERN,
      "aspectRatio must be width:height with whole numbers from 1 to 100, e.g. 16:9",
    )
    .optional(),
  options: EditOptionsSchema.optional(),
});
export type CreateEditRequest = z.infer<typeof CreateEditRequestSchema>;

/** A failure reason kept on the edit record; the message is safe to show a user. */
export const EditErrorSchema = z.object({ code: z.string(), message: z.string() });
export type EditError = z.infer<typeof EditErrorSchema>;

/** One edit: a job and, once it succeeds, its results. */
export const EditRecordSchema = z.object({
  id: IdSchema,
  userId: z.string(),
  status: EditStatusSchema,
  operation: OperationSchema,
  engine: z.string(),
  prompt: z.string().nullable(),
  negativePrompt: z.string().nullable(),
  count: z.number().int(),
  seed: z.number().int(),
  margins: z.object({ top: z.number(), right: z.number(), bottom: z.number(), left: z.number() }).nullable(),
  options: EditOptionsSchema,
  sourceImageId: z.string().nullable(),
  maskImageId: z.string().nullable(),
  resultImageIds: z.array(z.string()),
  progress: z.number().min(0).max(1),
  attempts: z.number().int().nonnegative(),
  durationMs: z.number().int().nonnegative().nullable(),
  error: EditErrorSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EditRecord = z.infer<typeof EditRecordSchema>;

/** What an engine can do; the API and the web editor read this and never assume. */
export const EngineCapabilitiesSchema = z.object({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  operations: z.array(OperationSchema),
  usesPrompt: z.boolean(),
  usesNegativePrompt: z.boolean(),
  usesSeed: z.boolean(),
  maxResults: z.number().int().positive(),
  /** The engine works on at most this many pixels; larger images are scaled down for it. */
  maxPixels: z.number().int().positive(),
  /** Longest side the engine accepts; larger images are scaled down for it. */
  maxSide: z.number().int().positive(),
  minSide: z.number().int().positive(),
  /**
   * Inpaint and erase may name the area in words (`options.maskPrompt`) instead of a painted
   * mask; the engine finds it itself. Absent means false: a painted mask is required.
   */
  maskPrompt: z.boolean().optional(),
});
export type EngineCapabilities = z.infer<typeof EngineCapabilitiesSchema>;

/**
 * Whether an inpaint or erase without a painted mask may run: the engine declares `maskPrompt`
 * and `options.maskPrompt` is a non-empty string naming the area.
 *
 * @example
 * ```ts
 * if (!maskNamedByPrompt(engine.capabilities, edit.options)) requireMask();
 * ```
 */
export function maskNamedByPrompt(
  caps: Pick<EngineCapabilities, "maskPrompt">,
  options: EditOptions | null | undefined,
): boolean {
  const maskPrompt = options?.maskPrompt;
  return caps.maskPrompt === true && typeof maskPrompt === "string" && maskPrompt.trim() !== "";
}

/** A user as the API shows it (never a password hash). */
export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string().nullable(),
  status: z.enum(["FORCE_CHANGE_PASSWORD", "CONFIRMED"]),
  createdAt: z.string(),
});
export type User = z.infer<typeof UserSchema>;

export const UsernameSchema = z
  .string()
  .trim()
  .min(1, "username is required")
  .max(128)
  .regex(/^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, "username may not contain spaces");
