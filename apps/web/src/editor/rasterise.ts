import type { PixelRect, Point } from "./geometry";

/** Paint adds to the area to change (white); erase removes from it (black). */
export type PaintMode = "paint" | "erase";

/** One step of mask editing, in source-image pixels. Ops are immutable. */
export type MaskOp =
  | { id: number; kind: "stroke"; mode: PaintMode; radius: number; points: readonly Point[] }
  | { id: number; kind: "rect"; mode: PaintMode; from: Point; to: Point }
  | { id: number; kind: "invert" };

/**
 * Applies one op to `mask` (one byte per pixel, 0 or 255, `width`×`height`), where the mask's
 * pixels are `scale` times the source's (1 for the exported mask, less for a preview).
 * For strokes, only the segments ending at `fromPoint` or later are drawn (incremental drawing). Answers the changed area, or null.
 */
export function applyOp(
  mask: Uint8Array,
  width: number,
  height: number,
  op: MaskOp,
  scale = 1,
  fromPoint = 0,
): PixelRect | null {
  switch (op.kind) {
    case "invert":
      for (let i = 0; i < mask.length; i++) mask[i] = mask[i] === 0 ? 255 : 0;
      return { x0: 0, y0: 0, x1: width, y1: height };
    case "rect":
      return fillRect(mask, width, height, op, scale);
    case "stroke":
      return drawStroke(mask, width, height, op, scale, fromPoint);
  }
}

/** All `ops` in order onto an empty (black) mask. */
export function rasterise(ops: readonly MaskOp[], width: number, height: number, scale = 1): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const op of ops) applyOp(mask, width, height, op, scale);
  return mask;
}

/** The pixels a rectangle covers: those whose centres lie inside it (either corner order). */
export function rectPixels(from: Point, to: Point, scale: number, width: number, height: number) {
  const x0 = Math.max(0, Math.round(Math.min(from.x, to.x) * scale));
  const x1 = Math.min(width, Math.round(Math.max(from.x, to.x) * scale));
  const y0 = Math.max(0, Math.round(Math.min(from.y, to.y) * scale));
  const y1 = Math.min(height, Math.round(Math.max(from.y, to.y) * scale));
  return { x0, y0, x1, y1 };
}

function fillRect(
  mask: Uint8Array,
  width: number,
  height: number,
  op: Extract<MaskOp, { kind: "rect" }>,
  scale: number,
): PixelRect | null {
  const r = rectPixels(op.from, op.to, scale, width, height);
  if (r.x1 <= r.x0 || r.y1 <= r.y0) return null;
  const value = op.mode === "paint" ? 255 : 0;
  for (let y = r.y0; y < r.y1; y++) mask.fill(value, y * width + r.x0, y * width + r.x1);
  return r;
}

function drawStroke(
  mask: Uint8Array,
  width: number,
  height: number,
  op: Extract<MaskOp, { kind: "stroke" }>,
  scale: number,
  fromPoint: number,
): PixelRect | null {
  const { points } = op;
  if (points.length === 0) return null;
  const radius = Math.max(0.5, op.radius * scale);
  const value = op.mode === "paint" ? 255 : 0;
  let dirty: PixelRect | null = null;
  if (points.length === 1) {
    const p = points[0]!;
    return capsule(mask, width, height, p.x * scale, p.y * scale, p.x * scale, p.y * scale, radius, value);
  }
  for (let i = Math.max(1, fromPoint); i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const r = capsule(mask, width, height, a.x * scale, a.y * scale, b.x * scale, b.y * scale, radius, value);
    if (r)
      dirty = dirty
        ? {
            x0: Math.min(dirty.x0, r.x0),
            y0: Math.min(dirty.y0, r.y0),
            x1: Math.max(dirty.x1, r.x1),
            y1: Math.max(dirty.y1, r.y1),
          }
        : r;
  }
  return dirty;
}

/** Sets every pixel whose centre is within `radius` of the segment a–b. */
function capsule(
  mask: Uint8Array,
  width: number,
  height: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  radius: number,
  value: number,
): PixelRect | null {
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - radius));
  const x1 = Math.min(width, Math.ceil(Math.max(ax, bx) + radius));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - radius));
  const y1 = Math.min(height, Math.ceil(Math.max(ay, by) + radius));
  if (x1 <= x0 || y1 <= y0) return null;
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  const r2 = radius * radius;
  for (let y = y0; y < y1; y++) {
    const cy = y + 0.5;
    const row = y * width;
    for (let x = x0; x < x1; x++) {
      const cx = x + 0.5;
      let t = lengthSquared === 0 ? 0 : ((cx - ax) * dx + (cy - ay) * dy) / lengthSquared;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = cx - (ax + t * dx);
      const ey = cy - (ay + t * dy);
      if (ex * ex + ey * ey <= r2) mask[row + x] = value;
    }
  }
  return { x0, y0, x1, y1 };
}

/** True when any pixel is set. */
export function hasCoverage(mask: Uint8Array): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) return true;
  return false;
}

/** Fraction of set pixels, 0..1. */
export function coverage(mask: Uint8Array): number {
  if (mask.length === 0) return 0;
  let set = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) set++;
  return set / mask.length;
}
