import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, type ApiClient } from "../api/client";
import type { EditRecord, EditView } from "../api/types";

export const POLL_INTERVAL_MS = 500;

export type JobState =
  | { phase: "idle" }
  /** Uploading the mask and creating the edit. */
  | { phase: "submitting"; step: string }
  /** The API refused to create the edit (400/404/409/422…), or it could not be reached. */
  | { phase: "rejected"; error: ApiError }
  /** An edit exists; `view.edit.status` tells where it is. */
  | { phase: "tracking"; view: EditView; startedAt: number; connectionProblem: string | null };

export function isActive(state: JobState): boolean {
  return (
    state.phase === "submitting" ||
    (state.phase === "tracking" && ["queued", "running"].includes(state.view.edit.status))
  );
}

function pendingView(edit: EditRecord): EditView {
  return { edit, source: null, results: [] };
}

/**
 * One edit at a time: create it, poll `GET /edits/{id}` every 500 ms while it is queued or
 * running, cancel it, retry it. `retry` runs the last `submit` again.
 */
export function useEditJob(api: ApiClient) {
  const [state, setState] = useState<JobState>({ phase: "idle" });
  const generation = useRef(0);
  const lastSubmit = useRef<((onStep: (step: string) => void) => Promise<EditRecord>) | null>(null);

  const track = useCallback(
    (view: EditView, startedAt: number) => {
      const mine = ++generation.current;
      setState({ phase: "tracking", view, startedAt, connectionProblem: null });
      if (!["queued", "running"].includes(view.edit.status)) return;
      const poll = async () => {
        if (generation.current !== mine) return;
        try {
          const next = await api.edit(view.edit.id);
          if (generation.current !== mine) return;
          setState({ phase: "tracking", view: next, startedAt, connectionProblem: null });
          if (["queued", "running"].includes(next.edit.status)) setTimeout(poll, POLL_INTERVAL_MS);
        } catch (error) {
          if (generation.current !== mine) return;
          if (error instanceof ApiError && error.status === 404) {
            setState({ phase: "rejected", error: new ApiError(404, "not_found", "This edit was deleted.") });
            return;
          }
          if (error instanceof ApiError && error.status === 401) return; // signed out: the app shows sign-in
          const message =
            error instanceof ApiError && error.isNetworkError
              ? "Lost the connection to Retouch; still trying…"
              : `Could not get the edit's status (${error instanceof Error ? error.message : String(error)}); still trying…`;
          setState((s) => (s.phase === "tracking" ? { ...s, connectionProblem: message } : s));
          setTimeout(poll, POLL_INTERVAL_MS * 4);
        }
      };
      setTimeout(poll, POLL_INTERVAL_MS);
    },
    [api],
  );

  const run = useCallback(
    async (submit: (onStep: (step: string) => void) => Promise<EditRecord>) => {
      const mine = ++generation.current;
      const startedAt = Date.now();
      setState({ phase: "submitting", step: "Starting…" });
      try {
        const edit = await submit((step) => {
          if (generation.current === mine) setState({ phase: "submitting", step });
        });
        if (generation.current !== mine) return;
        track(pendingView(edit), startedAt);
      } catch (error) {
        if (generation.current !== mine) return;
        setState({
          phase: "rejected",
          error:
            error instanceof ApiError
              ? error
              : new ApiError(0, "client_error", error instanceof Error ? error.message : String(error)),
        });
      }
    },
    [track],
  );

  /** Starts a new edit; `submit` may upload a mask first (reporting steps) and must answer the created edit. */
  const submit = useCallback(
    (fn: (onStep: (step: string) => void) => Promise<EditRecord>) => {
      lastSubmit.current = fn;
      return run(fn);
    },
    [run],
  );

  const retry = useCallback(() => {
    if (lastSubmit.current) void run(lastSubmit.current);
  }, [run]);

  const cancel = useCallback(async () => {
    if (state.phase !== "tracking") return;
    try {
      const { edit } = await api.cancelEdit(state.view.edit.id);
      setState((s) =>
        s.phase === "tracking" && s.view.edit.id === edit.id ? { ...s, view: { ...s.view, edit } } : s,
      );
      if (!["queued", "running"].includes(edit.status)) generation.current++;
    } catch (error) {
      // 409: it finished meanwhile; the next poll shows how.
      if (error instanceof ApiError && error.status === 409) return;
      const message = `Could not cancel: ${error instanceof Error ? error.message : String(error)}`;
      setState((s) => (s.phase === "tracking" ? { ...s, connectionProblem: message } : s));
    }
  }, [api, state]);

  /** Shows an existing edit (from history): polls it if it is still going. */
  const open = useCallback(
    (view: EditView, retryWith?: (onStep: (step: string) => void) => Promise<EditRecord>) => {
      lastSubmit.current = retryWith ?? null;
      track(view, Date.parse(view.edit.createdAt) || Date.now());
    },
    [track],
  );

  const reset = useCallback(() => {
    generation.current++;
    lastSubmit.current = null;
    setState({ phase: "idle" });
  }, []);

  useEffect(
    () => () => {
      generation.current++;
    },
    [],
  );

  return { state, submit, retry, cancel, open, reset, canRetry: () => lastSubmit.current !== null };
}
