import type { PixelRect } from "./geometry";
import { applyOp, type MaskOp } from "./rasterise";
import type { MaskState } from "./mask-store";

interface Applied {
  id: number;
  /** Points of a stroke already drawn (strokes grow while drawn). */
  points: number;
}

/**
 * The mask at display resolution, kept in step with the store incrementally: while a stroke is
 * drawn only its new segments are rasterised; undo, redo, clear and the like redraw it all.
 * Pure (no DOM), so the painting path stays testable and fast on large photos.
 */
export class MaskPreview {
  readonly raster: Uint8Array;
  private applied: Applied[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
    /** Preview pixels per source pixel. */
    readonly scale: number,
  ) {
    this.raster = new Uint8Array(width * height);
  }

  /** Brings the raster up to date with `state`; answers the area that changed, or null. */
  sync(state: Pick<MaskState, "ops" | "draft">): PixelRect | null {
    const target: MaskOp[] = [...state.ops];
    if (state.draft?.kind === "stroke") target.push(state.draft);
    const start = this.commonPrefix(target);
    if (start === null) return this.redraw(target);
    let dirty: PixelRect | null = null;
    for (let i = start; i < target.length; i++) {
      const op = target[i]!;
      const already = this.applied[i];
      let from = 0;
      if (already && already.id === op.id) {
        // Drawn already: only a growing stroke has anything new (its segments from the last drawn point).
        if (op.kind !== "stroke" || already.points === op.points.length) continue;
        from = already.points;
      }
      const rect = applyOp(this.raster, this.width, this.height, op, this.scale, from);
      this.applied[i] = { id: op.id, points: op.kind === "stroke" ? op.points.length : 0 };
      if (rect)
        dirty = dirty
          ? {
              x0: Math.min(dirty.x0, rect.x0),
              y0: Math.min(dirty.y0, rect.y0),
              x1: Math.max(dirty.x1, rect.x1),
              y1: Math.max(dirty.y1, rect.y1),
            }
          : rect;
    }
    return dirty;
  }

  /**
   * Index from which `target` can be applied on top of what is drawn, or null when what is drawn
   * is not a prefix of it (an undo, a clear, a dropped draft) and everything must be redrawn.
   */
  private commonPrefix(target: readonly MaskOp[]): number | null {
    if (this.applied.length > target.length) return null;
    for (let i = 0; i < this.applied.length; i++) {
      const a = this.applied[i]!;
      const op = target[i]!;
      if (a.id !== op.id) return null;
      if (op.kind === "stroke" && op.points.length < a.points) return null;
    }
    // The last drawn op may still be growing: start there.
    return Math.max(0, this.applied.length - 1);
  }

  private redraw(target: readonly MaskOp[]): PixelRect {
    this.raster.fill(0);
    this.applied = [];
    for (const op of target) {
      applyOp(this.raster, this.width, this.height, op, this.scale);
      this.applied.push({ id: op.id, points: op.kind === "stroke" ? op.points.length : 0 });
    }
    return { x0: 0, y0: 0, x1: this.width, y1: this.height };
  }
}
