import { useCallback, useEffect, useRef, useState, type CSSProperties } from "react";
import type { EditView } from "../api/types";
import { OPERATION_LABELS } from "../api/types";
import { AlertIcon, ArrowLeftIcon, BrushIcon, DownloadIcon } from "../ui/icons";
import { Spinner } from "../ui/Spinner";
import { downloadUrl } from "./images";

/**
 * Before/after of one result over the whole stage, the gallery of all results under it, and
 * what to do next: download, keep editing it, or go back to the mask.
 */
export function ResultsView({
  view,
  selected,
  onSelect,
  onKeepEditing,
  onBackToMask,
  keepEditingBusy,
}: {
  view: EditView;
  selected: number;
  onSelect(index: number): void;
  onKeepEditing(index: number): void;
  onBackToMask(): void;
  keepEditingBusy: boolean;
}) {
  const result = view.results[selected] ?? view.results[0];
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);

  async function download() {
    if (!result) return;
    setDownloading(true);
    setDownloadError(null);
    try {
      const index = view.results.indexOf(result) + 1;
      await downloadUrl(
        result.url,
        `retouch-${view.edit.id}${view.results.length > 1 ? `-${index}` : ""}.png`,
      );
    } catch (error) {
      setDownloadError(error instanceof Error ? error.message : String(error));
    } finally {
      setDownloading(false);
    }
  }

  if (!result) return null;
  return (
    <div className="results">
      <div className="results-stage">
        <BeforeAfter view={view} resultIndex={view.results.indexOf(result)} />
      </div>
      <div className="results-bar">
        <div className="gallery" role="listbox" aria-label="Results" aria-orientation="horizontal">
          {view.results.map((r, i) => (
            <button
              key={r.imageId}
              type="button"
              role="option"
              aria-selected={r === result}
              className="gallery-item"
              onClick={() => onSelect(i)}
              onKeyDown={(e) => {
                if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
                  e.preventDefault();
                  const next =
                    (i + (e.key === "ArrowRight" ? 1 : -1) + view.results.length) % view.results.length;
                  onSelect(next);
                  (e.currentTarget.parentElement?.children[next] as HTMLElement | undefined)?.focus();
                }
              }}
            >
              <img src={r.url} alt={`Result ${i + 1}`} draggable={false} />
              <span className="gallery-index" aria-hidden="true">
                {i + 1}
              </span>
            </button>
          ))}
        </div>
        <div className="results-meta">
          <span className="results-title">
            {OPERATION_LABELS[view.edit.operation]} · result {view.results.indexOf(result) + 1} of{" "}
            {view.results.length}
          </span>
          <span className="muted small">
            {result.width && result.height ? `${result.width} × ${result.height}` : ""} · seed{" "}
            {view.edit.seed}
          </span>
        </div>
        <div className="results-actions">
          <button type="button" className="btn btn--ghost" onClick={onBackToMask} aria-label="Back to mask">
            <ArrowLeftIcon size={16} /> <span className="hide-narrow">Back to mask</span>
          </button>
          <button type="button" className="btn btn--secondary" onClick={download} disabled={downloading}>
            {downloading ? <Spinner /> : <DownloadIcon size={16} />} Download PNG
          </button>
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => onKeepEditing(view.results.indexOf(result))}
            disabled={keepEditingBusy}
          >
            {keepEditingBusy ? <Spinner /> : <BrushIcon size={16} />} Keep editing this one
          </button>
        </div>
        {downloadError && (
          <div className="notice notice--error results-error" role="alert">
            <AlertIcon /> <span>{downloadError}</span>
          </div>
        )}
      </div>
    </div>
  );
}

/** A draggable divider between the source (left) and the result (right); arrows move it too. */
function BeforeAfter({ view, resultIndex }: { view: EditView; resultIndex: number }) {
  const result = view.results[resultIndex]!;
  const source = view.source;
  const [position, setPosition] = useState(50);
  const frameRef = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  const width = result.width ?? source?.width ?? 1;
  const height = result.height ?? source?.height ?? 1;
  // Outpainted results are larger: the source sits inside them at the margins.
  const m = view.edit.margins;
  const inner =
    source?.width && source.height && m && (m.left || m.top || m.right || m.bottom)
      ? {
          left: (m.left / width) * 100,
          top: (m.top / height) * 100,
          width: (source.width / width) * 100,
          height: (source.height / height) * 100,
        }
      : { left: 0, top: 0, width: 100, height: 100 };

  const moveTo = useCallback((clientX: number) => {
    const rect = frameRef.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return;
    setPosition(Math.min(100, Math.max(0, ((clientX - rect.left) / rect.width) * 100)));
  }, []);

  useEffect(() => setPosition(50), [result.imageId]);

  const style = { "--ratio": `${width} / ${height}`, "--ratio-number": width / height } as CSSProperties;
  return (
    <div
      ref={frameRef}
      className="compare"
      style={style}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        moveTo(e.clientX);
      }}
      onPointerMove={(e) => dragging.current && moveTo(e.clientX)}
      onPointerUp={() => (dragging.current = false)}
      onPointerCancel={() => (dragging.current = false)}
    >
      <img
        className="compare-after"
        src={result.url}
        alt="After: the edited result"
        draggable={false}
        data-testid="result-image"
      />
      {source && (
        <div className="compare-before" style={{ clipPath: `inset(0 ${100 - position}% 0 0)` }}>
          <img
            src={source.url}
            alt="Before: the original"
            draggable={false}
            style={{
              left: `${inner.left}%`,
              top: `${inner.top}%`,
              width: `${inner.width}%`,
              height: `${inner.height}%`,
            }}
          />
        </div>
      )}
      <span
        className="compare-label compare-label--before"
        aria-hidden="true"
        style={{ opacity: position > 12 ? 1 : 0 }}
      >
        Before
      </span>
      <span
        className="compare-label compare-label--after"
        aria-hidden="true"
        style={{ opacity: position < 88 ? 1 : 0 }}
      >
        After
      </span>
      {source && (
        <div
          className="compare-handle"
          style={{ left: `${position}%` }}
          role="slider"
          tabIndex={0}
          aria-label="Before and after divider"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(position)}
          aria-valuetext={`${Math.round(position)}% showing the original`}
          onKeyDown={(e) => {
            const step = e.shiftKey ? 10 : 2;
            let next: number | null = null;
            if (e.key === "ArrowLeft" || e.key === "ArrowDown") next = position - step;
            else if (e.key === "ArrowRight" || e.key === "ArrowUp") next = position + step;
            else if (e.key === "Home") next = 0;
            else if (e.key === "End") next = 100;
            else if (e.key === "PageDown") next = position - 25;
            else if (e.key === "PageUp") next = position + 25;
            if (next !== null) {
              e.preventDefault();
              setPosition(Math.min(100, Math.max(0, next)));
            }
          }}
        >
          <span className="compare-grip" aria-hidden="true">
            <svg
              width="18"
              height="18"
              viewBox="0 0 24 24"
              fill="none"
              stroke="currentColor"
              strokeWidth="2.2"
              strokeLinecap="round"
              strokeLinejoin="round"
            >
              <path d="m9 6-6 6 6 6M15 6l6 6-6 6" />
            </svg>
          </span>
        </div>
      )}
    </div>
  );
}
