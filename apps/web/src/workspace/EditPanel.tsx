import {
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from "react";
import {
  OPERATION_LABELS,
  PROMPT_MAX_LENGTH,
  type EngineCapabilities,
  type EnginesResponse,
  type Margins,
  type Operation,
} from "../api/types";
import { AlertIcon, DiceIcon, SparkleIcon } from "../ui/icons";
import { Spinner } from "../ui/Spinner";
import { MOD } from "../editor/Toolbar";
import {
  capabilitySummary,
  editParams,
  editProblems,
  fieldsFor,
  maskNote,
  promptNotice,
  seedIsValid,
  type EditParams,
  type EditReadiness,
} from "./edit-form";

/** Ratios offered for outpainting; the API adds the margins that reach one, centred. */
const ASPECT_RATIOS = [
  { value: "1:1", label: "1:1 square" },
  { value: "4:5", label: "4:5 portrait" },
  { value: "3:2", label: "3:2 photo" },
  { value: "16:9", label: "16:9 wide" },
  { value: "9:16", label: "9:16 tall" },
  { value: "21:9", label: "21:9 panorama" },
];

const OPERATION_HINTS: Partial<Record<Operation, string>> = {
  inpaint: "Fill the painted area",
  erase: "Remove what is painted",
  outpaint: "Extend the photo outwards",
  replace: "Find something and replace it",
  "remove-background": "Cut out the subject",
  variation: "A new take on the photo",
  generate: "A new image from the prompt",
};

/** Engine, operation, prompt and options of the next edit, with what is missing said plainly. */
export function EditPanel({
  engines,
  enginesError,
  onRetryEngines,
  readiness,
  onSubmit,
  footer,
}: {
  engines: EnginesResponse | null;
  enginesError: string | null;
  onRetryEngines(): void;
  readiness: EditReadiness;
  onSubmit(params: EditParams): void;
  /** Shown under the Generate button, in the panel's sticky footer (the edit's status). */
  footer?: ReactNode;
}) {
  const [engineId, setEngineId] = useState<string>("");
  const [operation, setOperation] = useState<Operation>("inpaint");
  const [prompt, setPrompt] = useState("");
  const [negativePrompt, setNegativePrompt] = useState("");
  const [searchPrompt, setSearchPrompt] = useState("");
  const [maskPrompt, setMaskPrompt] = useState("");
  const [count, setCount] = useState(1);
  const [seed, setSeed] = useState("");
  const [showDescription, setShowDescription] = useState(false);
  const [descriptionClamped, setDescriptionClamped] = useState(false);
  const descriptionRef = useRef<HTMLParagraphElement>(null);
  const [margins, setMargins] = useState<Margins>({ top: 0, right: 128, bottom: 0, left: 128 });
  const [aspectRatio, setAspectRatio] = useState("");
  const ids = {
    engine: useId(),
    engineHelp: useId(),
    engineCaps: useId(),
    prompt: useId(),
    promptHelp: useId(),
    negative: useId(),
    search: useId(),
    maskPrompt: useId(),
    count: useId(),
    seed: useId(),
    reasons: useId(),
    aspectRatio: useId(),
  };

  const engine: EngineCapabilities | undefined = useMemo(
    () =>
      engines?.engines.find((e) => e.id === engineId) ??
      engines?.engines.find((e) => e.id === engines.defaultEngine) ??
      engines?.engines[0],
    [engines, engineId],
  );

  // Offer "More" only when the description is cut.
  useLayoutEffect(() => {
    const el = descriptionRef.current;
    if (!el || showDescription) return;
    const measure = () => setDescriptionClamped(el.scrollHeight > el.clientHeight + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [engine, showDescription]);

  // Keep the operation and count within what the chosen engine offers.
  useEffect(() => {
    if (!engine) return;
    if (!engine.operations.includes(operation)) setOperation(engine.operations[0] ?? "inpaint");
    if (count > engine.maxResults) setCount(engine.maxResults);
  }, [engine, operation, count]);

  const values = {
    operation,
    prompt,
    negativePrompt,
    searchPrompt,
    maskPrompt,
    count,
    seed,
    margins,
    aspectRatio,
  };
  const fields = fieldsFor(engine, operation);
  const usesPrompt = fields.prompt !== "unused";
  const notice = promptNotice(engine, operation);
  const noMask = maskNote(operation);
  const reasons = editProblems(engine, enginesError, values, readiness);
  const seedValid = seedIsValid(seed);
  const canSubmit = reasons.length === 0 && !readiness.busy;

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!canSubmit || !engine) return;
    onSubmit(editParams(engine, values));
  }

  return (
    <form
      className="panel-section edit-form"
      onSubmit={submit}
      aria-labelledby="edit-panel-title"
      onKeyDown={(e) => {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit();
      }}
    >
      <h2 id="edit-panel-title" className="panel-title">
        <SparkleIcon size={16} /> Edit
      </h2>

      {enginesError && (
        <div className="notice notice--error" role="alert">
          <AlertIcon />
          <div>
            <span>{enginesError}</span>{" "}
            <button type="button" className="link-btn" onClick={onRetryEngines}>
              Try again
            </button>
          </div>
        </div>
      )}

      <div className="field">
        <label htmlFor={ids.engine}>Engine</label>
        <select
          id={ids.engine}
          value={engine?.id ?? ""}
          disabled={!engines}
          aria-describedby={`${ids.engineCaps} ${ids.engineHelp}`}
          onChange={(e) => setEngineId(e.target.value)}
        >
          {!engines && <option value="">Loading…</option>}
          {engines?.engines.map((e) => (
            <option key={e.id} value={e.id}>
              {e.label}
            </option>
          ))}
        </select>
        {engine && (
          <ul className="engine-caps" id={ids.engineCaps} aria-label="Capabilities">
            {capabilitySummary(engine).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
        {engine && (
          <p
            ref={descriptionRef}
            className={`field-hint engine-description${showDescription ? " is-open" : ""}`}
            id={ids.engineHelp}
          >
            {engine.description}
          </p>
        )}
        {engine && (descriptionClamped || showDescription) && (
          <button
            type="button"
            className="link-btn small"
            aria-expanded={showDescription}
            aria-controls={ids.engineHelp}
            onClick={() => setShowDescription(!showDescription)}
          >
            {showDescription ? "Less" : "More about this engine"}
          </button>
        )}
      </div>

      <fieldset className="field">
        <legend>Operation</legend>
        <div className="segmented" role="radiogroup" aria-label="Operation">
          {(engine?.operations ?? []).map((op) => (
            <label
              key={op}
              className={`segment${op === operation ? " is-selected" : ""}`}
              title={OPERATION_HINTS[op]}
            >
              <input
                type="radio"
                name="operation"
                value={op}
                checked={op === operation}
                onChange={() => setOperation(op)}
              />
              <span>{OPERATION_LABELS[op]}</span>
            </label>
          ))}
        </div>
        {OPERATION_HINTS[operation] && <p className="field-hint">{OPERATION_HINTS[operation]}.</p>}
        {noMask && <p className="field-hint">{noMask}</p>}
      </fieldset>

      {notice && (
        <div className="notice notice--info" id={ids.promptHelp}>
          {notice}
        </div>
      )}

      {fields.searchPrompt && (
        <div className="field">
          <div className="label-row">
            <label htmlFor={ids.search}>What to replace</label>
            <span className="counter" aria-live="off">
              {searchPrompt.length} / {PROMPT_MAX_LENGTH}
            </span>
          </div>
          <input
            id={ids.search}
            type="text"
            maxLength={PROMPT_MAX_LENGTH}
            placeholder="What the engine should find, e.g. “the bananas”"
            value={searchPrompt}
            onChange={(e) => setSearchPrompt(e.target.value)}
          />
        </div>
      )}

      {fields.maskPrompt && (
        <div className="field">
          <div className="label-row">
            <label htmlFor={ids.maskPrompt}>Describe the area instead of painting</label>
            <span className="counter" aria-live="off">
              {maskPrompt.length} / {PROMPT_MAX_LENGTH}
            </span>
          </div>
          <input
            id={ids.maskPrompt}
            type="text"
            maxLength={PROMPT_MAX_LENGTH}
            placeholder="Optional: what the engine should find, e.g. “the dog”"
            value={maskPrompt}
            onChange={(e) => setMaskPrompt(e.target.value)}
          />
        </div>
      )}

      <div className={`field${usesPrompt ? "" : " field--disabled"}`}>
        <div className="label-row">
          <label htmlFor={ids.prompt}>Prompt</label>
          <span
            className={`counter${prompt.length > PROMPT_MAX_LENGTH * 0.9 ? " counter--warn" : ""}`}
            aria-live="off"
          >
            {prompt.length} / {PROMPT_MAX_LENGTH}
          </span>
        </div>
        <textarea
          id={ids.prompt}
          rows={3}
          maxLength={PROMPT_MAX_LENGTH}
          placeholder={usesPrompt ? "What should be there? e.g. “a calm lake at sunset”" : "Not used here"}
          value={prompt}
          disabled={!usesPrompt}
          aria-describedby={usesPrompt ? undefined : ids.promptHelp}
          onChange={(e) => setPrompt(e.target.value)}
        />
      </div>

      <div className={`field${fields.negativePrompt ? "" : " field--disabled"}`}>
        <div className="label-row">
          <label htmlFor={ids.negative}>Negative prompt</label>
          <span className="counter" aria-live="off">
            {negativePrompt.length} / {PROMPT_MAX_LENGTH}
          </span>
        </div>
        <textarea
          id={ids.negative}
          rows={2}
          maxLength={PROMPT_MAX_LENGTH}
          placeholder={fields.negativePrompt ? "What to avoid, e.g. “text, watermark”" : "Not used here"}
          value={negativePrompt}
          disabled={!fields.negativePrompt}
          aria-describedby={usesPrompt ? undefined : ids.promptHelp}
          onChange={(e) => setNegativePrompt(e.target.value)}
        />
      </div>

      {fields.margins && (
        <fieldset className="field margins">
          <legend>Margins (pixels to add)</legend>
          <label className="aspect-ratio" htmlFor={ids.aspectRatio}>
            <span>Extend to</span>
            <select id={ids.aspectRatio} value={aspectRatio} onChange={(e) => setAspectRatio(e.target.value)}>
              <option value="">the margins below</option>
              {ASPECT_RATIOS.map((ratio) => (
                <option key={ratio.value} value={ratio.value}>
                  {ratio.label}
                </option>
              ))}
            </select>
          </label>
          <div className="margins-grid">
            {(["top", "left", "right", "bottom"] as const).map((side) => (
              <label key={side} className={`margin margin--${side}`}>
                <span>{side[0]!.toUpperCase() + side.slice(1)}</span>
                <input
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={4096}
                  step={16}
                  value={margins[side]}
                  disabled={aspectRatio !== ""}
                  onChange={(e) =>
                    setMargins({
                      ...margins,
                      [side]: Math.max(0, Math.min(4096, Math.round(Number(e.target.value) || 0))),
                    })
                  }
                />
              </label>
            ))}
            <span className="margins-photo" aria-hidden="true">
              Photo
            </span>
          </div>
        </fieldset>
      )}

      <div className="field-row">
        <div className="field">
          <label htmlFor={ids.count}>Results</label>
          <div className="stepper">
            <button
              type="button"
              className="icon-btn"
              aria-label="Fewer results"
              disabled={count <= 1}
              onClick={() => setCount(Math.max(1, count - 1))}
            >
              −
            </button>
            <input
              id={ids.count}
              type="number"
              inputMode="numeric"
              min={1}
              max={engine?.maxResults ?? 1}
              value={count}
              onChange={(e) =>
                setCount(
                  Math.max(1, Math.min(engine?.maxResults ?? 1, Math.round(Number(e.target.value) || 1))),
                )
              }
            />
            <button
              type="button"
              className="icon-btn"
              aria-label="More results"
              disabled={count >= (engine?.maxResults ?? 1)}
              onClick={() => setCount(Math.min(engine?.maxResults ?? 1, count + 1))}
            >
              +
            </button>
          </div>
        </div>
        <div className={`field${engine?.usesSeed === false ? " field--disabled" : ""}`}>
          <label htmlFor={ids.seed}>Seed</label>
          <div className="input-with-btn">
            <input
              id={ids.seed}
              type="text"
              inputMode="numeric"
              placeholder="Random"
              value={seed}
              disabled={engine?.usesSeed === false}
              aria-invalid={seedValid ? undefined : true}
              aria-describedby={`${ids.seed}-hint`}
              onChange={(e) => setSeed(e.target.value.replace(/[^0-9]/g, ""))}
            />
            <button
              type="button"
              className="icon-btn"
              aria-label="Pick a random seed"
              disabled={engine?.usesSeed === false}
              onClick={() => setSeed(String(Math.floor(Math.random() * 1_000_000)))}
            >
              <DiceIcon size={16} />
            </button>
          </div>
          <p className="field-hint" id={`${ids.seed}-hint`}>
            Blank = random
          </p>
        </div>
      </div>

      <div className="edit-actions">
        <button
          type="submit"
          className="btn btn--primary btn--block btn--lg"
          disabled={!canSubmit}
          aria-describedby={reasons.length ? ids.reasons : undefined}
          aria-keyshortcuts="Control+Enter"
        >
          {readiness.busy ? <Spinner /> : <SparkleIcon size={16} />}
          {readiness.busy ? "Working…" : "Generate"}
          <kbd className="btn-kbd" aria-hidden="true">
            {MOD}↵
          </kbd>
        </button>
        {reasons.length > 0 && !readiness.busy && (
          <ul className="reasons" id={ids.reasons}>
            {reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        )}
        {footer}
      </div>
    </form>
  );
}
