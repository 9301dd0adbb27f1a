/**
 * Wire types of the Retouch HTTP API, as the web editor uses them. They mirror the OpenAPI
 * document (`GET /api/openapi.json`); the web talks only to the HTTP API, so it does not import
 * the server's packages.
 */

export type Operation =
  "inpaint" | "erase" | "replace" | "outpaint" | "remove-background" | "variation" | "generate";

export type EditStatus = "queued" | "running" | "succeeded" | "failed" | "canceled";

export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** Lifetime of the access token, in seconds. */
  expiresIn: number;
  tokenType?: "Bearer";
}

export type SignInResponse =
  { tokens: Tokens } | { challenge: "NEW_PASSWORD_REQUIRED"; session: string; username: string };

export interface ImageRecord {
  id: string;
  userId: string;
  purpose: "source" | "mask" | "result";
  status: "pending" | "ready";
  contentType: string;
  format: "png" | "jpeg" | "webp" | null;
  width: number | null;
  height: number | null;
  bytes: number | null;
  sha256: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SignedRequest {
  url: string;
  method: "PUT" | "GET";
  headers: Record<string, string>;
  expiresAt: string;
}

export interface ImageLink {
  imageId: string;
  url: string;
  width: number | null;
  height: number | null;
  expiresAt: string;
}

export interface EditRecord {
  id: string;
  userId: string;
  status: EditStatus;
  operation: Operation;
  engine: string;
  prompt: string | null;
  negativePrompt: string | null;
  count: number;
  seed: number;
  margins: Margins | null;
  options: EditOptions;
  sourceImageId: string | null;
  maskImageId: string | null;
  resultImageIds: string[];
  /** 0..1 */
  progress: number;
  attempts: number;
  durationMs: number | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** Engine-specific options of an edit (e.g. `searchPrompt` for `replace`); each engine checks its own keys. */
export type EditOptions = Record<string, string | number | boolean | null>;

export interface EditView {
  edit: EditRecord;
  source: ImageLink | null;
  results: ImageLink[];
}

export interface EngineCapabilities {
  id: string;
  label: string;
  description: string;
  operations: Operation[];
  usesPrompt: boolean;
  usesNegativePrompt: boolean;
  usesSeed: boolean;
  maxResults: number;
  maxPixels: number;
  maxSide: number;
  minSide: number;
  /** Inpaint and erase may name the area in words (`options.maskPrompt`) instead of a painted mask. */
  maskPrompt?: boolean;
}

export interface EnginesResponse {
  defaultEngine: string;
  engines: EngineCapabilities[];
}

export interface CreateEditRequest {
  operation: Operation;
  imageId?: string;
  maskImageId?: string;
  prompt?: string;
  negativePrompt?: string;
  count?: number;
  seed?: number;
  engine?: string;
  margins?: Margins;
  /** `width:height`: outpaint to this ratio, centred, instead of `margins`. */
  aspectRatio?: string;
  options?: EditOptions;
}

export interface EditPage {
  items: EditView[];
  nextCursor: string | null;
}

/** Operations that need a painted mask. */
export const MASK_OPERATIONS: readonly Operation[] = ["inpaint", "erase"];

/** The words a person reads for each operation. */
export const OPERATION_LABELS: Record<Operation, string> = {
  inpaint: "Inpaint",
  erase: "Erase",
  replace: "Replace",
  outpaint: "Outpaint",
  "remove-background": "Remove background",
  variation: "Variation",
  generate: "Generate",
};

export const PROMPT_MAX_LENGTH = 2000;
