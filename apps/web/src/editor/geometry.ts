/** A point in source-image pixels (or screen CSS pixels, as named). */
export interface Point {
  x: number;
  y: number;
}

/**
 * How the source image sits in the viewport: screen = source × scale + (x, y), in CSS pixels
 * relative to the viewport's top-left corner.
 */
export interface View {
  scale: number;
  x: number;
  y: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 32;

export const IDENTITY_VIEW: View = { scale: 1, x: 0, y: 0 };

export function screenToSource(view: View, screen: Point): Point {
  return { x: (screen.x - view.x) / view.scale, y: (screen.y - view.y) / view.scale };
}

export function sourceToScreen(view: View, source: Point): Point {
  return { x: source.x * view.scale + view.x, y: source.y * view.scale + view.y };
}

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/** The whole image, centred, as large as fits with `padding` CSS pixels around it. */
export function fitView(
  image: { width: number; height: number },
  viewport: { width: number; height: number },
  padding = 32,
): View {
  if (image.width <= 0 || image.height <= 0 || viewport.width <= 0 || viewport.height <= 0)
    return IDENTITY_VIEW;
  const availableW = Math.max(1, viewport.width - padding * 2);
  const availableH = Math.max(1, viewport.height - padding * 2);
  const scale = clampScale(Math.min(availableW / image.width, availableH / image.height));
  return {
    scale,
    x: (viewport.width - image.width * scale) / 2,
    y: (viewport.height - image.height * scale) / 2,
  };
}

/** Zooms by `factor` keeping the source point under `anchor` (screen) where it is. */
export function zoomAt(view: View, anchor: Point, factor: number): View {
  const scale = clampScale(view.scale * factor);
  const source = screenToSource(view, anchor);
  return { scale, x: anchor.x - source.x * scale, y: anchor.y - source.y * scale };
}

export function panBy(view: View, dx: number, dy: number): View {
  return { scale: view.scale, x: view.x + dx, y: view.y + dy };
}

/** An axis-aligned rectangle in integer pixels: [x0, x1) × [y0, y1). */
export interface PixelRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function unionRect(a: PixelRect | null, b: PixelRect | null): PixelRect | null {
  if (!a) return b;
  if (!b) return a;
  return {
    x0: Math.min(a.x0, b.x0),
    y0: Math.min(a.y0, b.y0),
    x1: Math.max(a.x1, b.x1),
    y1: Math.max(a.y1, b.y1),
  };
}
