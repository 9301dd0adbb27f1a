import { useEffect, useState, type ReactNode } from "react";
import { AlertIcon, CheckIcon, CloseIcon, LayersIcon, RetryIcon } from "../ui/icons";
import { Spinner } from "../ui/Spinner";
import { formatDuration, formatElapsed } from "./format";
import type { JobState } from "./use-edit-job";

function useNow(active: boolean) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** Where the current edit is: queued, running (percent, elapsed), done, failed — with Cancel and Retry. */
export function JobStatus({
  state,
  canRetry,
  onCancel,
  onRetry,
  onDismiss,
  onShowResults,
}: {
  state: JobState;
  canRetry: boolean;
  onCancel(): void;
  onRetry(): void;
  onDismiss(): void;
  onShowResults(): void;
}) {
  const running = state.phase === "tracking" && ["queued", "running"].includes(state.view.edit.status);
  const now = useNow(running);

  // Polite announcements of each change of phase (not of every percent).
  let announcement = "";
  let body: ReactNode = null;

  if (state.phase === "submitting") {
    announcement = state.step;
    body = (
      <div className="job job--busy">
        <div className="job-head">
          <Spinner />
          <span className="job-title">{state.step}</span>
        </div>
        <div className="progress progress--indeterminate" aria-hidden="true">
          <span />
        </div>
      </div>
    );
  } else if (state.phase === "rejected") {
    announcement = `Error: ${state.error.message}`;
    body = (
      <div className="job job--error" role="alert">
        <div className="job-head">
          <AlertIcon />
          <span className="job-title">The edit could not start</span>
          <DismissButton onDismiss={onDismiss} />
        </div>
        <p className="job-message" data-testid="edit-error">
          {state.error.message}
        </p>
        {canRetry && (
          <div className="job-actions">
            <button type="button" className="btn btn--secondary btn--sm" onClick={onRetry}>
              <RetryIcon size={14} /> Retry
            </button>
          </div>
        )}
      </div>
    );
  } else if (state.phase === "tracking") {
    const { edit, results } = state.view;
    const elapsed = formatElapsed((edit.durationMs ?? now - state.startedAt) || 0);
    if (edit.status === "queued" || edit.status === "running") {
      const percent = Math.round(edit.progress * 100);
      const queued = edit.status === "queued";
      announcement = queued ? "Queued" : "Running";
      body = (
        <div className="job job--busy">
          <div className="job-head">
            <Spinner />
            <span className="job-title">
              {queued ? "Queued — waiting for the engine" : `Running · ${percent}%`}
            </span>
            <span className="job-time" aria-label={`Elapsed ${elapsed}`}>
              {elapsed}
            </span>
          </div>
          <div
            className={`progress${queued ? " progress--indeterminate" : ""}`}
            role="progressbar"
            aria-label="Edit progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={queued ? undefined : percent}
            aria-valuetext={queued ? "Queued" : `${percent} percent`}
          >
            <span style={queued ? undefined : { width: `${Math.max(2, percent)}%` }} />
          </div>
          {state.connectionProblem && <p className="job-note">{state.connectionProblem}</p>}
          <div className="job-actions">
            <button type="button" className="btn btn--secondary btn--sm" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </div>
      );
    } else if (edit.status === "succeeded") {
      announcement = `Done: ${results.length} result${results.length === 1 ? "" : "s"}`;
      body = (
        <div className="job job--done">
          <div className="job-head">
            <span className="job-icon job-icon--ok">
              <CheckIcon size={14} />
            </span>
            <span className="job-title">
              Done · {results.length} result{results.length === 1 ? "" : "s"}
            </span>
            <span className="job-time">
              {edit.durationMs !== null ? formatDuration(edit.durationMs) : ""}
            </span>
          </div>
          <div className="job-actions">
            <button type="button" className="btn btn--secondary btn--sm" onClick={onShowResults}>
              <LayersIcon size={14} /> View results
            </button>
          </div>
        </div>
      );
    } else {
      const failed = edit.status === "failed";
      const message = failed ? (edit.error?.message ?? "The edit failed.") : "The edit was canceled.";
      announcement = failed ? `Edit failed: ${message}` : "Canceled";
      body = (
        <div className={`job ${failed ? "job--error" : "job--muted"}`} role={failed ? "alert" : undefined}>
          <div className="job-head">
            {failed ? <AlertIcon /> : <CloseIcon size={16} />}
            <span className="job-title">{failed ? "The edit failed" : "Canceled"}</span>
            <DismissButton onDismiss={onDismiss} />
          </div>
          {failed && (
            <p className="job-message" data-testid="edit-error">
              {message}
            </p>
          )}
          {canRetry && (
            <div className="job-actions">
              <button type="button" className="btn btn--secondary btn--sm" onClick={onRetry}>
                <RetryIcon size={14} /> Retry
              </button>
            </div>
          )}
        </div>
      );
    }
  }

  return (
    <section className="job-section" aria-label="Edit status">
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
      {body}
    </section>
  );
}

/** The × that closes a finished or failed job's card. */
function DismissButton({ onDismiss }: { onDismiss: () => void }) {
  return (
    <button
      type="button"
      className="icon-btn icon-btn--sm job-dismiss"
      aria-label="Dismiss"
      onClick={onDismiss}
    >
      <CloseIcon size={14} />
    </button>
  );
}
