import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { ApiClient, ApiError } from "../api/client";
import {
  MASK_OPERATIONS,
  type CreateEditRequest,
  type EditRecord,
  type EditView,
  type EnginesResponse,
} from "../api/types";
import type { AuthProvider } from "../auth/auth-provider";
import { MaskCanvas } from "../editor/MaskCanvas";
import { OptionsBar } from "../editor/OptionsBar";
import { Toolbar } from "../editor/Toolbar";
import { createMaskStore, defaultBrushFor } from "../editor/mask-store";
import { encodeGreyscalePng } from "../editor/png";
import { hasCoverage, rasterise } from "../editor/rasterise";
import { useMaskSelector } from "../editor/use-mask-state";
import {
  AlertIcon,
  CloseIcon,
  HistoryIcon,
  ImageIcon,
  LayersIcon,
  Logo,
  LogOutIcon,
  UploadIcon,
} from "../ui/icons";
import { Spinner } from "../ui/Spinner";
import { EditPanel } from "./EditPanel";
import type { EditParams } from "./edit-form";
import { HistoryView } from "./HistoryView";
import { JobStatus } from "./JobStatus";
import { ResultsView } from "./ResultsView";
import { ACCEPTED_TYPES, checkImageFile, decodePreview } from "./images";
import { isActive, useEditJob, type JobState } from "./use-edit-job";
import { useRoute } from "./use-route";
import { isTypingTarget, useEditorShortcuts } from "./use-shortcuts";

interface SourceImage {
  /** Changes with every photo opened, so the canvas starts afresh. */
  key: number;
  name: string;
  /** Null while the upload is still going. */
  imageId: string | null;
  width: number;
  height: number;
  bitmap: ImageBitmap;
  /** Full-size original for the before/after view (an object URL or a signed URL). */
  url: string;
}

type Mode = "mask" | "results";

/** Emptiness of the mask from a small rasterisation (cheap on every change, exact enough for the button). */
function maskLooksEmpty(ops: Parameters<typeof rasterise>[0], width: number, height: number): boolean {
  if (ops.length === 0 || width === 0) return true;
  const scale = Math.min(1, 512 / Math.max(width, height));
  return !hasCoverage(
    rasterise(ops, Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), scale),
  );
}

export function Workspace({
  auth,
  invokeUrl,
  username,
  onSignOut,
}: {
  auth: AuthProvider;
  invokeUrl: string;
  username: string;
  onSignOut(): void;
}) {
  const api = useMemo(() => new ApiClient(invokeUrl, auth), [invokeUrl, auth]);
  const store = useMemo(() => createMaskStore(), []);
  const [route, navigate] = useRoute();
  const [engines, setEngines] = useState<EnginesResponse | null>(null);
  const [enginesError, setEnginesError] = useState<string | null>(null);
  const [source, setSource] = useState<SourceImage | null>(null);
  const [uploading, setUploading] = useState<string | null>(null);
  const [stageError, setStageError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [mode, setMode] = useState<Mode>("mask");
  const [selected, setSelected] = useState(0);
  const [keepBusy, setKeepBusy] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const job = useEditJob(api);
  const openToken = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const lastShown = useRef<string | null>(null);

  const loadEngines = useCallback(async () => {
    setEnginesError(null);
    try {
      setEngines(await api.engines());
    } catch (error) {
      setEnginesError(
        error instanceof ApiError
          ? `Could not load the engines: ${error.message}`
          : "Could not load the engines.",
      );
    }
  }, [api]);
  useEffect(() => {
    void loadEngines();
  }, [loadEngines]);

  // Swap the displayed photo, freeing the previous one.
  const replaceSource = useCallback(
    (next: SourceImage | null) => {
      setSource((previous) => {
        if (previous && previous.bitmap !== next?.bitmap) previous.bitmap.close();
        if (previous && previous.url !== next?.url && previous.url.startsWith("blob:"))
          URL.revokeObjectURL(previous.url);
        return next;
      });
      if (next) {
        store.setImage(next.width, next.height);
        store.setBrushSize(defaultBrushFor(next.width, next.height));
      } else store.setImage(0, 0);
    },
    [store],
  );

  /** Opens a local file: checks it, shows it at once, uploads it meanwhile. */
  const openFile = useCallback(
    async (file: File) => {
      const problem = checkImageFile(file);
      if (problem) {
        setStageError(problem);
        return;
      }
      const token = ++openToken.current;
      setStageError(null);
      setUploading(file.name);
      setMode("mask");
      navigate("editor");
      const preview = decodePreview(file);
      const upload = api.uploadImage(file, file.type, "source");
      let shown: SourceImage | null = null;
      preview.then(
        (p) => {
          if (token !== openToken.current) return p.bitmap.close();
          shown = {
            key: token,
            name: file.name,
            imageId: null,
            width: p.width,
            height: p.height,
            bitmap: p.bitmap,
            url: URL.createObjectURL(file),
          };
          replaceSource(shown);
        },
        () => undefined,
      );
      try {
        const image = await upload;
        const p = await preview.catch(() => null);
        if (token !== openToken.current) return;
        if (!p) {
          setStageError(`“${file.name}” was uploaded but this browser cannot display it.`);
          return;
        }
        const width = image.width ?? p.width;
        const height = image.height ?? p.height;
        const current = shown ?? {
          key: token,
          name: file.name,
          imageId: null,
          width,
          height,
          bitmap: p.bitmap,
          url: URL.createObjectURL(file),
        };
        const ready = { ...current, imageId: image.id, width, height };
        if (width !== current.width || height !== current.height) replaceSource(ready);
        else setSource(ready);
        setAnnouncement(`${file.name} is ready: ${width} × ${height} pixels. Paint over what should change.`);
      } catch (error) {
        if (token !== openToken.current) return;
        const message =
          error instanceof ApiError ? error.message : `Could not upload “${file.name}”. Try again.`;
        setStageError(message);
        replaceSource(null);
      } finally {
        if (token === openToken.current) setUploading(null);
      }
    },
    [api, navigate, replaceSource],
  );

  /** Shows an image already stored in Retouch (a result to keep editing, or a history item's source). */
  const openStored = useCallback(
    async (
      imageId: string,
      url: string,
      name: string,
      size: { width: number | null; height: number | null },
    ) => {
      const token = ++openToken.current;
      const response = await fetch(url);
      if (!response.ok) throw new Error(`Could not load the image (${response.status}).`);
      const blob = await response.blob();
      const p = await decodePreview(blob);
      if (token !== openToken.current) {
        p.bitmap.close();
        return;
      }
      replaceSource({
        key: token,
        name,
        imageId,
        width: size.width ?? p.width,
        height: size.height ?? p.height,
        bitmap: p.bitmap,
        url: URL.createObjectURL(blob),
      });
    },
    [replaceSource],
  );

  const uploadMask = useCallback(async () => {
    const { width, height } = store.getState();
    const png = await encodeGreyscalePng(store.rasterise(), width, height);
    const image = await api.uploadImage(png as Uint8Array<ArrayBuffer>, "image/png", "mask");
    return image.id;
  }, [api, store]);

  const submit = useCallback(
    (params: EditParams) => {
      if (!source?.imageId) return;
      const imageId = source.imageId;
      // An area named in words (options.maskPrompt) replaces the painted mask.
      const needsMask =
        MASK_OPERATIONS.includes(params.operation) && typeof params.options.maskPrompt !== "string";
      setStageError(null);
      void job.submit(async (onStep): Promise<EditRecord> => {
        let maskImageId: string | undefined;
        if (needsMask) {
          onStep("Uploading the mask…");
          maskImageId = await uploadMask();
        }
        onStep("Starting the edit…");
        const request: CreateEditRequest = {
          operation: params.operation,
          imageId,
          count: params.count,
          engine: params.engine,
          ...(maskImageId ? { maskImageId } : {}),
          ...(params.prompt ? { prompt: params.prompt } : {}),
          ...(params.negativePrompt ? { negativePrompt: params.negativePrompt } : {}),
          ...(params.seed !== null ? { seed: params.seed } : {}),
          ...(params.margins ? { margins: params.margins } : {}),
          ...(params.aspectRatio ? { aspectRatio: params.aspectRatio } : {}),
          ...(Object.keys(params.options).length > 0 ? { options: params.options } : {}),
        };
        return (await api.createEdit(request)).edit;
      });
    },
    [api, job, source, uploadMask],
  );

  // Show the results when an edit succeeds.
  const jobState = job.state;
  useEffect(() => {
    if (jobState.phase !== "tracking") return;
    const { edit } = jobState.view;
    if (edit.status === "succeeded" && jobState.view.results.length > 0 && lastShown.current !== edit.id) {
      lastShown.current = edit.id;
      setSelected(0);
      setMode("results");
      // On narrow screens the panel is below the canvas: bring the result into view.
      const stage = stageRef.current;
      if (stage && stage.getBoundingClientRect().bottom < 0)
        stage.scrollIntoView({ block: "start", behavior: "smooth" });
    }
  }, [jobState]);

  const resultsView: EditView | null =
    jobState.phase === "tracking" &&
    jobState.view.edit.status === "succeeded" &&
    jobState.view.results.length > 0
      ? jobState.view
      : null;
  const showResults = mode === "results" && resultsView !== null && route === "editor";

  const keepEditing = useCallback(
    async (index: number) => {
      const result = resultsView?.results[index];
      if (!result) return;
      setKeepBusy(true);
      try {
        await openStored(result.imageId, result.url, "Result", result);
        job.reset();
        setMode("mask");
        setAnnouncement("Editing the result. Paint a new mask.");
      } catch (error) {
        setStageError(error instanceof Error ? error.message : String(error));
      } finally {
        setKeepBusy(false);
      }
    },
    [resultsView, openStored, job],
  );

  /** Runs an edit from history again with the same parameters (same seed, so the same results). */
  const sameAgain = useCallback(
    (edit: EditRecord) => async (): Promise<EditRecord> => {
      const request: CreateEditRequest = {
        operation: edit.operation,
        count: edit.count,
        engine: edit.engine,
        seed: edit.seed,
        ...(edit.sourceImageId ? { imageId: edit.sourceImageId } : {}),
        ...(edit.maskImageId ? { maskImageId: edit.maskImageId } : {}),
        ...(edit.prompt ? { prompt: edit.prompt } : {}),
        ...(edit.negativePrompt ? { negativePrompt: edit.negativePrompt } : {}),
        ...(edit.margins ? { margins: edit.margins } : {}),
        ...(Object.keys(edit.options).length > 0 ? { options: edit.options } : {}),
      };
      return (await api.createEdit(request)).edit;
    },
    [api],
  );

  const openFromHistory = useCallback(
    async (view: EditView) => {
      navigate("editor");
      setStageError(null);
      lastShown.current = null;
      // Retry of an edit opened from history runs it again as it was.
      job.open(view, view.edit.sourceImageId ? sameAgain(view.edit) : undefined);
      setMode(view.edit.status === "succeeded" ? "results" : "mask");
      setSelected(0);
      if (view.source) {
        try {
          await openStored(view.source.imageId, view.source.url, "Source", view.source);
        } catch (error) {
          setStageError(error instanceof Error ? error.message : String(error));
        }
      }
    },
    [job, navigate, openStored, sameAgain],
  );

  const rerun = useCallback(
    async (view: EditView) => {
      const created = await sameAgain(view.edit)();
      await openFromHistory({ edit: created, source: view.source, results: [] });
    },
    [sameAgain, openFromHistory],
  );

  // Zoom about the centre of the stage / fit it.
  const viewControls = useMemo(
    () => ({
      zoom(factor: number) {
        const rect = stageRef.current?.getBoundingClientRect();
        if (rect) store.zoomAt({ x: rect.width / 2, y: rect.height / 2 }, factor);
      },
      fit() {
        const rect = stageRef.current?.getBoundingClientRect();
        if (rect) store.fit({ width: rect.width, height: rect.height });
      },
    }),
    [store],
  );
  useEditorShortcuts(store, route === "editor" && !showResults && source !== null, viewControls);

  // Paste an image from the clipboard.
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const items = [...(event.clipboardData?.items ?? [])];
      const item = items.find((i) => i.kind === "file" && i.type.startsWith("image/"));
      if (!item) return;
      if (isTypingTarget(event.target) && items.some((i) => i.kind === "string")) return;
      const file = item.getAsFile();
      if (!file) return;
      event.preventDefault();
      void openFile(file.name ? file : new File([file], "pasted-image", { type: file.type }));
    };
    window.addEventListener("paste", onPaste);
    return () => window.removeEventListener("paste", onPaste);
  }, [openFile]);

  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    setDragging(true);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void openFile(file);
  };

  const opsForEmptiness = useMaskSelector(store, (s) => s.ops);
  const maskEmpty = useMemo(
    () => (source ? maskLooksEmpty(opsForEmptiness, source.width, source.height) : true),
    [opsForEmptiness, source],
  );
  const busy = isActive(jobState);

  return (
    <div className="app">
      <header className="topbar">
        <a
          className="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate("editor");
          }}
        >
          <Logo size={26} />
          <span className="brand-name">Retouch</span>
        </a>
        <nav className="topnav" aria-label="Main">
          <a
            href="/"
            className="topnav-link"
            aria-current={route === "editor" ? "page" : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate("editor");
            }}
          >
            <LayersIcon size={16} /> <span>Editor</span>
          </a>
          <a
            href="/history"
            className="topnav-link"
            aria-current={route === "history" ? "page" : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate("history");
            }}
          >
            <HistoryIcon size={16} /> <span>History</span>
          </a>
        </nav>
        <div className="topbar-right">
          <input
            ref={fileInput}
            id="file-input"
            className="visually-hidden"
            type="file"
            accept={ACCEPTED_TYPES.join(",")}
            tabIndex={-1}
            aria-label="Open a photo"
            data-testid="file-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = "";
              if (file) void openFile(file);
            }}
          />
          <button
            type="button"
            className="btn btn--secondary btn--sm"
            onClick={() => fileInput.current?.click()}
          >
            <UploadIcon size={16} /> <span className="hide-narrow">Open photo</span>
            <span className="visually-hidden show-narrow-sr">Open photo</span>
          </button>
          <div className="user" title={`Signed in as ${username}`}>
            <span className="avatar" aria-hidden="true">
              {username.slice(0, 1).toUpperCase()}
            </span>
            <span className="user-name hide-narrow">{username}</span>
          </div>
          <button
            type="button"
            className="icon-btn"
            aria-label="Sign out"
            data-tooltip="Sign out"
            onClick={onSignOut}
          >
            <LogOutIcon size={18} />
          </button>
        </div>
      </header>

      <div className="visually-hidden" aria-live="polite">
        {announcement}
      </div>

      {route === "history" ? (
        <HistoryView
          api={api}
          engines={engines?.engines ?? []}
          onOpen={(view) => void openFromHistory(view)}
          onRerun={rerun}
          onDeleted={(id) => {
            if (jobState.phase === "tracking" && jobState.view.edit.id === id) {
              job.reset();
              setMode("mask");
            }
          }}
          onBack={() => navigate("editor")}
        />
      ) : (
        <div className="workspace">
          <Toolbar store={store} disabled={!source || showResults} />
          <main className="stage-wrap" aria-label="Canvas">
            <div className="stage-head">
              {resultsView ? (
                <div className="tabs" role="tablist" aria-label="View">
                  <button
                    type="button"
                    role="tab"
                    aria-selected={!showResults}
                    className="tab"
                    onClick={() => setMode("mask")}
                  >
                    Mask
                  </button>
                  <button
                    type="button"
                    role="tab"
                    aria-selected={showResults}
                    className="tab"
                    onClick={() => setMode("results")}
                  >
                    Results <span className="tab-count">{resultsView.results.length}</span>
                  </button>
                </div>
              ) : (
                <div className="stage-title">
                  <ImageIcon size={16} />
                  <span className="stage-name">{source ? source.name : "No photo open"}</span>
                  {source && (
                    <span className="muted small">
                      {source.width} × {source.height}
                    </span>
                  )}
                </div>
              )}
              {!showResults && source && (
                <OptionsBar store={store} onZoom={viewControls.zoom} onFit={viewControls.fit} />
              )}
            </div>
            <div
              ref={stageRef}
              className={`stage${dragging ? " is-dragging" : ""}`}
              onDragOver={onDragOver}
              onDragEnter={onDragOver}
              onDragLeave={(e) => {
                if (e.currentTarget === e.target) setDragging(false);
              }}
              onDrop={onDrop}
            >
              {showResults && resultsView ? (
                <ResultsView
                  view={resultsView}
                  selected={selected}
                  onSelect={setSelected}
                  onKeepEditing={(i) => void keepEditing(i)}
                  onBackToMask={() => setMode("mask")}
                  keepEditingBusy={keepBusy}
                />
              ) : source ? (
                <MaskCanvas
                  key={source.key}
                  store={store}
                  bitmap={source.bitmap}
                  label={`${source.name}, ${source.width} by ${source.height} pixels, with the mask. Paint with the brush over what should change.`}
                />
              ) : (
                <EmptyStage onPick={() => fileInput.current?.click()} busy={uploading !== null} />
              )}
              {!uploading && busy && (
                <div className="stage-pill" aria-hidden="true">
                  <Spinner size={14} /> {stageProgress(jobState)}
                </div>
              )}
              {uploading && (
                <div className="stage-pill" role="status">
                  <Spinner size={14} /> Uploading {uploading}…
                </div>
              )}
              {dragging && (
                <div className="drop-overlay" aria-hidden="true">
                  <UploadIcon size={32} />
                  <span>Drop to open</span>
                </div>
              )}
              {stageError && (
                <div className="stage-error notice notice--error" role="alert" data-testid="stage-error">
                  <AlertIcon />
                  <span>{stageError}</span>
                  <button
                    type="button"
                    className="icon-btn icon-btn--sm"
                    aria-label="Dismiss"
                    onClick={() => setStageError(null)}
                  >
                    <CloseIcon size={14} />
                  </button>
                </div>
              )}
            </div>
          </main>
          <aside className="side-panel" aria-label="Edit settings">
            <EditPanel
              engines={engines}
              enginesError={enginesError}
              onRetryEngines={() => void loadEngines()}
              readiness={{ hasSource: source !== null, sourceReady: !!source?.imageId, maskEmpty, busy }}
              onSubmit={submit}
              footer={
                <JobStatus
                  state={jobState}
                  canRetry={job.canRetry()}
                  onCancel={() => void job.cancel()}
                  onRetry={job.retry}
                  onDismiss={job.reset}
                  onShowResults={() => setMode("results")}
                />
              }
            />
            <ShortcutHelp />
          </aside>
        </div>
      )}
    </div>
  );
}

/** A short line for the pill over the canvas while an edit is going. */
function stageProgress(state: JobState): string {
  if (state.phase === "submitting") return state.step;
  if (state.phase !== "tracking") return "";
  const { edit } = state.view;
  return edit.status === "queued" ? "Queued…" : `Generating · ${Math.round(edit.progress * 100)}%`;
}

function EmptyStage({ onPick, busy }: { onPick(): void; busy: boolean }) {
  return (
    <div className="empty-stage">
      <div className="empty-card">
        <div className="empty-icon" aria-hidden="true">
          <ImageIcon size={28} />
        </div>
        <h1 className="empty-title">Open a photo to start</h1>
        <p className="muted">Drop an image here, paste one with Ctrl+V, or choose a file.</p>
        <button type="button" className="btn btn--primary" onClick={onPick} disabled={busy}>
          <UploadIcon size={16} /> Choose a photo
        </button>
        <p className="muted small">PNG, JPEG or WebP · up to 25 MB</p>
      </div>
    </div>
  );
}

function ShortcutHelp() {
  return (
    <details className="panel-section shortcuts">
      <summary>Keyboard shortcuts</summary>
      <dl>
        <dt>B / E / R / H</dt>
        <dd>Brush, eraser, rectangle, hand</dd>
        <dt>[ and ]</dt>
        <dd>Smaller / larger brush</dd>
        <dt>Alt + drag</dt>
        <dd>Erase with the brush or rectangle</dd>
        <dt>Space + drag</dt>
        <dd>Pan (or the middle button)</dd>
        <dt>Wheel, + / − / 0</dt>
        <dd>Zoom, fit</dd>
        <dt>Hold \</dt>
        <dd>Compare with the original</dd>
        <dt>Ctrl+Z / Ctrl+Shift+Z</dt>
        <dd>Undo / redo</dd>
        <dt>I, Shift+Delete</dt>
        <dd>Invert, clear the mask</dd>
        <dt>Ctrl+Enter</dt>
        <dd>Generate</dd>
      </dl>
    </details>
  );
}
