import { IDENTITY_VIEW, fitView, panBy, zoomAt, type Point, type View } from "./geometry";
import { hasCoverage, rasterise, type MaskOp, type PaintMode } from "./rasterise";

export type Tool = "brush" | "eraser" | "rect" | "pan";

export const MIN_BRUSH = 1;
export const MAX_BRUSH = 1000;
export const DEFAULT_HISTORY_LIMIT = 100;

/** Overlay colours offered to the user (the mask itself is always white-on-black). */
export const OVERLAY_COLORS = ["#ff3b6b", "#3b82f6", "#22c55e", "#f5b400", "#ffffff"] as const;

export interface MaskState {
  /** Source image size in pixels; 0×0 when no image is loaded. */
  width: number;
  height: number;
  tool: Tool;
  /** Brush diameter in source pixels. */
  brushSize: number;
  /** Committed edits, oldest first. */
  ops: readonly MaskOp[];
  /** The stroke or rectangle being drawn, not yet in `ops` nor in the history. */
  draft: MaskOp | null;
  /** Earlier values of `ops` (most recent last), at most `historyLimit`. */
  past: readonly (readonly MaskOp[])[];
  /** Values of `ops` undone (most recently undone last); any new edit clears it. */
  future: readonly (readonly MaskOp[])[];
  historyLimit: number;
  overlayColor: string;
  /** 0..1 */
  overlayOpacity: number;
  view: View;
  /** While true the original is shown without the mask ("hold to compare"). */
  comparing: boolean;
}

export interface MaskStore {
  getState(): MaskState;
  subscribe(listener: () => void): () => void;

  /** A new source image: empties the mask and its history, keeps tool and overlay settings. */
  setImage(width: number, height: number): void;
  setTool(tool: Tool): void;
  setBrushSize(size: number): void;
  /** `]`: about 15 % larger. */
  growBrush(): void;
  /** `[`: about 15 % smaller. */
  shrinkBrush(): void;

  /** Starts a stroke or rectangle at `point` (source pixels) with the current tool. `erase` flips a rectangle to erasing. */
  pointerDown(point: Point, options?: { erase?: boolean }): void;
  pointerMove(point: Point): void;
  /** Commits the draft into the mask (one undo step). */
  pointerUp(): void;
  /** Drops the draft (e.g. pointercancel, Escape). */
  cancelDraft(): void;

  undo(): void;
  redo(): void;
  /** Empties the mask (undoable). */
  clear(): void;
  /** Swaps painted and unpainted (undoable). */
  invert(): void;

  setOverlayColor(color: string): void;
  setOverlayOpacity(opacity: number): void;
  setComparing(comparing: boolean): void;

  setView(view: View): void;
  zoomAt(anchor: Point, factor: number): void;
  panBy(dx: number, dy: number): void;
  fit(viewport: { width: number; height: number }): void;

  canUndo(): boolean;
  canRedo(): boolean;
  /** The mask at the source's size: one byte per pixel, 255 = change, 0 = keep. */
  rasterise(): Uint8Array;
  /** True when nothing is painted (cheap when there are no ops). */
  isEmpty(): boolean;
}

function clampBrush(size: number): number {
  if (!Number.isFinite(size)) return MIN_BRUSH;
  return Math.round(Math.min(MAX_BRUSH, Math.max(MIN_BRUSH, size)));
}

/** A sensible first brush for an image: about 1/25 of its shorter side. */
export function defaultBrushFor(width: number, height: number): number {
  return clampBrush(Math.min(width, height) / 25);
}

/**
 * The mask editor's state, kept apart from React: tools, strokes, history, view. Components
 * read it with `useSyncExternalStore(store.subscribe, store.getState)` and call its actions;
 * the state object is replaced (never mutated) on every change.
 *
 * @example
 * ```ts
 * const store = createMaskStore();
 * store.setImage(512, 480);
 * store.pointerDown({ x: 10, y: 10 }); store.pointerMove({ x: 60, y: 10 }); store.pointerUp();
 * const mask = store.rasterise(); // 512 × 480 bytes, 255 along the stroke
 * ```
 */
export function createMaskStore(options: { historyLimit?: number; brushSize?: number } = {}): MaskStore {
  let nextId = 1;
  let state: MaskState = {
    width: 0,
    height: 0,
    tool: "brush",
    brushSize: clampBrush(options.brushSize ?? 40),
    ops: [],
    draft: null,
    past: [],
    future: [],
    historyLimit: Math.max(1, options.historyLimit ?? DEFAULT_HISTORY_LIMIT),
    overlayColor: OVERLAY_COLORS[0],
    overlayOpacity: 0.55,
    view: IDENTITY_VIEW,
    comparing: false,
  };
  const listeners = new Set<() => void>();

  function set(patch: Partial<MaskState>) {
    state = { ...state, ...patch };
    for (const listener of [...listeners]) listener();
  }

  /** Replaces `ops`, recording the previous value as one undo step and clearing redo. */
  function commit(ops: readonly MaskOp[], patch: Partial<MaskState> = {}) {
    const past = [...state.past, state.ops];
    while (past.length > state.historyLimit) past.shift();
    set({ ...patch, ops, past, future: [] });
  }

  function inside(point: Point) {
    return {
      x: Math.min(state.width, Math.max(0, point.x)),
      y: Math.min(state.height, Math.max(0, point.y)),
    };
  }

  const store: MaskStore = {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    setImage(width, height) {
      set({ width, height, ops: [], draft: null, past: [], future: [], comparing: false });
    },
    setTool(tool) {
      if (tool !== state.tool) set({ tool, draft: null });
    },
    setBrushSize(size) {
      const brushSize = clampBrush(size);
      if (brushSize !== state.brushSize) set({ brushSize });
    },
    growBrush() {
      store.setBrushSize(Math.max(state.brushSize + 1, state.brushSize * 1.15));
    },
    shrinkBrush() {
      store.setBrushSize(Math.min(state.brushSize - 1, state.brushSize / 1.15));
    },

    pointerDown(point, opts = {}) {
      if (state.width === 0 || state.tool === "pan") return;
      const id = nextId++;
      if (state.tool === "rect") {
        const p = inside(point);
        const mode: PaintMode = opts.erase ? "erase" : "paint";
        set({ draft: { id, kind: "rect", mode, from: p, to: p } });
        return;
      }
      const mode: PaintMode = state.tool === "eraser" || opts.erase ? "erase" : "paint";
      set({ draft: { id, kind: "stroke", mode, radius: state.brushSize / 2, points: [point] } });
    },
    pointerMove(point) {
      const draft = state.draft;
      if (!draft) return;
      if (draft.kind === "rect") {
        set({ draft: { ...draft, to: inside(point) } });
      } else if (draft.kind === "stroke") {
        const last = draft.points[draft.points.length - 1]!;
        // Skip moves shorter than a tenth of the radius: same pixels, fewer points to keep.
        if (Math.hypot(point.x - last.x, point.y - last.y) < Math.max(0.25, draft.radius * 0.1)) return;
        set({ draft: { ...draft, points: [...draft.points, point] } });
      }
    },
    pointerUp() {
      const draft = state.draft;
      if (!draft) return;
      if (draft.kind === "rect" && (draft.from.x === draft.to.x || draft.from.y === draft.to.y)) {
        set({ draft: null });
        return;
      }
      commit([...state.ops, draft], { draft: null });
    },
    cancelDraft() {
      if (state.draft) set({ draft: null });
    },

    undo() {
      const previous = state.past[state.past.length - 1];
      if (!previous) return;
      set({
        ops: previous,
        past: state.past.slice(0, -1),
        future: [...state.future, state.ops],
        draft: null,
      });
    },
    redo() {
      const next = state.future[state.future.length - 1];
      if (!next) return;
      set({ ops: next, future: state.future.slice(0, -1), past: [...state.past, state.ops], draft: null });
    },
    clear() {
      if (state.ops.length === 0) return;
      commit([], { draft: null });
    },
    invert() {
      if (state.width === 0) return;
      commit([...state.ops, { id: nextId++, kind: "invert" }], { draft: null });
    },

    setOverlayColor(overlayColor) {
      set({ overlayColor });
    },
    setOverlayOpacity(opacity) {
      set({ overlayOpacity: Math.min(1, Math.max(0.05, opacity)) });
    },
    setComparing(comparing) {
      if (comparing !== state.comparing) set({ comparing });
    },

    setView(view) {
      set({ view });
    },
    zoomAt(anchor, factor) {
      set({ view: zoomAt(state.view, anchor, factor) });
    },
    panBy(dx, dy) {
      set({ view: panBy(state.view, dx, dy) });
    },
    fit(viewport) {
      if (state.width === 0) return;
      set({ view: fitView({ width: state.width, height: state.height }, viewport) });
    },

    canUndo: () => state.past.length > 0,
    canRedo: () => state.future.length > 0,
    rasterise: () => rasterise(state.ops, state.width, state.height),
    isEmpty() {
      if (state.ops.length === 0) return true;
      return !hasCoverage(store.rasterise());
    },
  };
  return store;
}
