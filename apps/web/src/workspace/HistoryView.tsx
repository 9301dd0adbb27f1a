import { useCallback, useEffect, useState } from "react";
import { ApiError, type ApiClient } from "../api/client";
import { OPERATION_LABELS, type EditStatus, type EditView, type EngineCapabilities } from "../api/types";
import { AlertIcon, HistoryIcon, ImageIcon, RetryIcon, TrashIcon } from "../ui/icons";
import { Spinner } from "../ui/Spinner";
import { ConfirmDialog } from "./ConfirmDialog";
import { formatRelative } from "./format";

export const HISTORY_PAGE_SIZE = 12;

const STATUS_LABELS: Record<EditStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Done",
  failed: "Failed",
  canceled: "Canceled",
};

/** Your edits, newest first: open one, run it again, or delete it. */
export function HistoryView({
  api,
  engines,
  onOpen,
  onRerun,
  onDeleted,
  onBack,
}: {
  api: ApiClient;
  engines: EngineCapabilities[];
  onOpen(view: EditView): void;
  onRerun(view: EditView): Promise<void>;
  onDeleted(id: string): void;
  onBack(): void;
}) {
  const [items, setItems] = useState<EditView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<EditView | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [notice, setNotice] = useState("");

  const load = useCallback(
    async (from: string | null) => {
      setLoading(true);
      setError(null);
      try {
        const page = await api.listEdits({ limit: HISTORY_PAGE_SIZE, cursor: from });
        setItems((previous) => {
          const base = from ? previous : [];
          const seen = new Set(base.map((v) => v.edit.id));
          return [...base, ...page.items.filter((v) => !seen.has(v.edit.id))];
        });
        setCursor(page.nextCursor);
      } catch (failure) {
        setError(failure instanceof ApiError ? failure.message : String(failure));
      } finally {
        setLoading(false);
      }
    },
    [api],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  async function remove(view: EditView) {
    setConfirming(null);
    setBusyId(view.edit.id);
    try {
      await api.deleteEdit(view.edit.id);
      setItems((list) => list.filter((v) => v.edit.id !== view.edit.id));
      setNotice("Edit deleted.");
      onDeleted(view.edit.id);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusyId(null);
    }
  }

  async function rerun(view: EditView) {
    setBusyId(view.edit.id);
    setError(null);
    try {
      await onRerun(view);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
      setBusyId(null);
    }
  }

  const engineLabel = (id: string) => engines.find((e) => e.id === id)?.label ?? id;

  return (
    <main className="history" aria-labelledby="history-title">
      <header className="history-head">
        <div>
          <h1 id="history-title" className="page-title">
            History
          </h1>
          <p className="muted">Your edits, newest first.</p>
        </div>
        <button
          type="button"
          className="btn btn--secondary"
          onClick={() => void load(null)}
          disabled={loading}
        >
          <RetryIcon size={16} /> Refresh
        </button>
      </header>
      <div className="visually-hidden" aria-live="polite">
        {notice}
      </div>
      {error && (
        <div className="notice notice--error" role="alert">
          <AlertIcon />
          <span>{error}</span>
        </div>
      )}
      {!loading && items.length === 0 && !error && (
        <div className="empty-history">
          <HistoryIcon size={32} />
          <p>No edits yet. Open a photo, paint over what should change and press Generate.</p>
          <button type="button" className="btn btn--primary" onClick={onBack}>
            Go to the editor
          </button>
        </div>
      )}
      <ul className="history-grid">
        {items.map((view) => {
          const { edit } = view;
          const thumb = view.results[0]?.url ?? view.source?.url;
          return (
            <li key={edit.id} className="history-card" data-testid="history-item">
              <button
                type="button"
                className="history-thumb"
                onClick={() => onOpen(view)}
                aria-label={`Open edit from ${formatRelative(edit.createdAt)}`}
              >
                {thumb ? <img src={thumb} alt="" loading="lazy" /> : <ImageIcon size={32} />}
                <span className={`badge badge--${edit.status}`}>{STATUS_LABELS[edit.status]}</span>
                {view.results.length > 1 && (
                  <span className="badge badge--count">{view.results.length} results</span>
                )}
              </button>
              <div className="history-body">
                <p
                  className={`history-prompt${edit.prompt ? "" : " muted"}`}
                  title={edit.prompt ?? undefined}
                >
                  {edit.prompt || "No prompt"}
                </p>
                <p className="history-meta">
                  <span>{OPERATION_LABELS[edit.operation]}</span>
                  <span aria-hidden="true">·</span>
                  <span>{engineLabel(edit.engine)}</span>
                  <span aria-hidden="true">·</span>
                  <time dateTime={edit.createdAt} title={new Date(edit.createdAt).toLocaleString()}>
                    {formatRelative(edit.createdAt)}
                  </time>
                </p>
                {edit.status === "failed" && edit.error && (
                  <p className="history-error">{edit.error.message}</p>
                )}
                <div className="history-actions">
                  <button type="button" className="btn btn--secondary btn--sm" onClick={() => onOpen(view)}>
                    Open
                  </button>
                  <button
                    type="button"
                    className="btn btn--ghost btn--sm"
                    onClick={() => void rerun(view)}
                    disabled={busyId === edit.id || !edit.sourceImageId}
                  >
                    {busyId === edit.id ? <Spinner size={14} /> : <RetryIcon size={14} />} Re-run
                  </button>
                  <button
                    type="button"
                    className="btn btn--ghost btn--sm btn--danger-text"
                    onClick={() => setConfirming(view)}
                    disabled={busyId === edit.id}
                    aria-label={`Delete edit from ${formatRelative(edit.createdAt)}`}
                    title="Delete"
                  >
                    <TrashIcon size={15} />
                  </button>
                </div>
              </div>
            </li>
          );
        })}
      </ul>
      <div className="history-foot">
        {loading && <Spinner label="Loading edits" size={20} />}
        {!loading && cursor && (
          <button type="button" className="btn btn--secondary" onClick={() => void load(cursor)}>
            Load more
          </button>
        )}
      </div>
      {confirming && (
        <ConfirmDialog
          title="Delete this edit?"
          message="The edit and its results will be deleted. This cannot be undone."
          confirmLabel="Delete"
          danger
          onConfirm={() => void remove(confirming)}
          onCancel={() => setConfirming(null)}
        />
      )}
    </main>
  );
}
