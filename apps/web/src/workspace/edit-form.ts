import {
  MASK_OPERATIONS,
  OPERATION_LABELS,
  type EditOptions,
  type EngineCapabilities,
  type Margins,
  type Operation,
} from "../api/types";

/** What the edit form holds, as typed (the seed stays text so a half-typed value can be shown). */
export interface EditFormValues {
  operation: Operation;
  prompt: string;
  negativePrompt: string;
  /** What `replace` finds in the photo (sent as `options.searchPrompt`). */
  searchPrompt: string;
  /** The area to change in words, instead of painting it (sent as `options.maskPrompt`). */
  maskPrompt?: string;
  count: number;
  /** Digits, or "" for a random seed. */
  seed: string;
  margins: Margins;
  /** `width:height` to extend the canvas to, centred, instead of `margins`; "" = use the margins. */
  aspectRatio?: string;
}

/** Where the rest of the editor is, as far as the form cares. */
export interface EditReadiness {
  hasSource: boolean;
  sourceReady: boolean;
  maskEmpty: boolean;
  busy: boolean;
}

/** The next edit, as the workspace sends it. */
export interface EditParams {
  engine: string;
  operation: Operation;
  prompt: string;
  negativePrompt: string;
  count: number;
  /** null = random */
  seed: number | null;
  margins: Margins | null;
  /** Sent instead of `margins` when the form asks for a ratio; the API works out the margins. */
  aspectRatio: string | null;
  options: EditOptions;
}

/** Which inputs an operation reads with an engine. */
export interface OperationFields {
  mask: boolean;
  prompt: "required" | "optional" | "unused";
  negativePrompt: boolean;
  /** `replace` names what to find instead of being shown it with a mask. */
  searchPrompt: boolean;
  /** The engine can find the area from words (`capabilities.maskPrompt`) instead of a painted mask. */
  maskPrompt: boolean;
  margins: boolean;
}

export const SEED_MAX = 4_294_967_295;

/** Operations that never read the prompt, whatever the engine (DESIGN.md: erase and remove-background take none). */
const PROMPTLESS: readonly Operation[] = ["erase", "remove-background"];
/** The API refuses these without a prompt when the engine uses prompts; the form says so first. */
const PROMPT_REQUIRED: readonly Operation[] = ["inpaint", "replace", "outpaint", "variation", "generate"];
/** Without a prompt, these fill from the pixels around the area (the local fill engines). */
const FILL_OPERATIONS: readonly Operation[] = ["inpaint", "erase", "outpaint"];

const NO_MASK_NOTES: Partial<Record<Operation, string>> = {
  replace: "No mask needed: the engine finds what you name.",
  "remove-background": "No mask needed: the engine finds the subject.",
  outpaint: "No mask needed: set the margins below.",
  variation: "No mask needed: the whole photo is used.",
};

/**
 * The inputs `operation` reads with `engine` (all of them while the engines are loading).
 *
 * @example
 * ```ts
 * fieldsFor(stability, "replace"); // { mask: false, prompt: "required", searchPrompt: true, … }
 * ```
 */
export function fieldsFor(engine: EngineCapabilities | undefined, operation: Operation): OperationFields {
  const usesPrompt = (engine?.usesPrompt ?? true) && !PROMPTLESS.includes(operation);
  return {
    mask: MASK_OPERATIONS.includes(operation),
    prompt: !usesPrompt ? "unused" : PROMPT_REQUIRED.includes(operation) ? "required" : "optional",
    negativePrompt: usesPrompt && (engine?.usesNegativePrompt ?? false),
    searchPrompt: operation === "replace",
    maskPrompt: engine?.maskPrompt === true && MASK_OPERATIONS.includes(operation),
    margins: operation === "outpaint",
  };
}

/** Why the prompt box is off, in words; null when it is on. */
export function promptNotice(engine: EngineCapabilities | undefined, operation: Operation): string | null {
  if (!engine) return null;
  if (!engine.usesPrompt) {
    return FILL_OPERATIONS.includes(operation)
      ? `${engine.label} does not use the prompt: it fills from the surrounding pixels.`
      : `${engine.label} does not use the prompt.`;
  }
  return PROMPTLESS.includes(operation) ? `${OPERATION_LABELS[operation]} does not use the prompt.` : null;
}

/** Tells that the painted mask plays no part, for operations that work without one. */
export function maskNote(operation: Operation): string | null {
  return NO_MASK_NOTES[operation] ?? null;
}

/**
 * What an engine offers, one short line each, for the engine picker.
 *
 * @example
 * ```ts
 * capabilitySummary(localFill); // ["Inpaint, Erase, Outpaint", "Does not use the prompt", "Up to 4 results"]
 * ```
 */
export function capabilitySummary(engine: EngineCapabilities): string[] {
  return [
    engine.operations.map((op) => OPERATION_LABELS[op]).join(", "),
    engine.usesPrompt ? "Uses the prompt" : "Does not use the prompt",
    engine.maxResults === 1 ? "1 result per edit" : `Up to ${engine.maxResults} results`,
  ];
}

function seedOf(values: EditFormValues): number | null {
  return values.seed.trim() === "" ? null : Number(values.seed);
}

/** True for a blank seed (random) or a whole number the API accepts. */
export function seedIsValid(seed: string): boolean {
  const value = seed.trim() === "" ? null : Number(seed);
  return value === null || (Number.isInteger(value) && value >= 0 && value <= SEED_MAX);
}

/**
 * Everything that stops the edit from starting, in the order a person fixes them; empty when it
 * may start.
 *
 * @example
 * ```ts
 * editProblems(engine, null, values, { hasSource: true, sourceReady: true, maskEmpty: true, busy: false });
 * // ["Paint over the area to change with the brush or rectangle."]
 * ```
 */
export function editProblems(
  engine: EngineCapabilities | undefined,
  enginesError: string | null,
  values: EditFormValues,
  readiness: EditReadiness,
): string[] {
  const fields = fieldsFor(engine, values.operation);
  const { margins } = values;
  const reasons: string[] = [];
  if (!engine) reasons.push(enginesError ? "The engines could not be loaded." : "Loading engines…");
  if (!readiness.hasSource && values.operation !== "generate") reasons.push("Open a photo first.");
  else if (readiness.hasSource && !readiness.sourceReady) reasons.push("Waiting for the upload to finish…");
  const describedArea = fields.maskPrompt && !!values.maskPrompt?.trim();
  if (readiness.hasSource && fields.mask && readiness.maskEmpty && !describedArea)
    reasons.push("Paint over the area to change with the brush or rectangle.");
  if (
    fields.margins &&
    !values.aspectRatio &&
    margins.top + margins.right + margins.bottom + margins.left === 0
  )
    reasons.push("Set at least one margin above 0.");
  if (!seedIsValid(values.seed)) reasons.push(`The seed must be a whole number from 0 to ${SEED_MAX}.`);
  if (fields.searchPrompt && !values.searchPrompt.trim()) reasons.push("Say what to replace.");
  if (fields.prompt === "required" && !values.prompt.trim()) reasons.push("Describe what should be there.");
  return reasons;
}

/**
 * The edit to send: only the inputs the operation reads with this engine.
 *
 * @example
 * ```ts
 * editParams(stability, { ...values, operation: "replace", searchPrompt: "the banana" }).options;
 * // { searchPrompt: "the banana" }
 * ```
 */
export function editParams(engine: EngineCapabilities, values: EditFormValues): EditParams {
  const fields = fieldsFor(engine, values.operation);
  return {
    engine: engine.id,
    operation: values.operation,
    prompt: fields.prompt === "unused" ? "" : values.prompt.trim(),
    negativePrompt: fields.negativePrompt ? values.negativePrompt.trim() : "",
    count: values.count,
    seed: engine.usesSeed ? seedOf(values) : null,
    margins: fields.margins && !values.aspectRatio ? values.margins : null,
    aspectRatio: fields.margins && values.aspectRatio ? values.aspectRatio : null,
    options: fields.searchPrompt
      ? { searchPrompt: values.searchPrompt.trim() }
      : fields.maskPrompt && values.maskPrompt?.trim()
        ? { maskPrompt: values.maskPrompt.trim() }
        : {},
  };
}
