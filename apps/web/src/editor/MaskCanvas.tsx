import { useEffect, useRef } from "react";
import { screenToSource, sourceToScreen, type Point } from "./geometry";
import { MaskPreview } from "./mask-preview";
import type { MaskState, MaskStore } from "./mask-store";
import { rectPixels } from "./rasterise";

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.replace("#", ""), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

interface Overlay {
  preview: MaskPreview;
  canvas: HTMLCanvasElement;
  context: CanvasRenderingContext2D;
  image: ImageData;
  color: string;
}

/**
 * The photo with its mask, drawn on a canvas: zoom with the wheel, pan with space+drag, the
 * middle button or the hand tool, paint with mouse, pen or touch (pointer capture keeps a
 * stroke going outside the canvas). Reads the store and calls its actions; all state is there.
 */
export function MaskCanvas({
  store,
  bitmap,
  label,
}: {
  store: MaskStore;
  /** The photo, downscaled for display; it is drawn at the source's size. */
  bitmap: ImageBitmap;
  label: string;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const container = containerRef.current!;
    const canvas = canvasRef.current!;
    const ctx = canvas.getContext("2d")!;
    let frame = 0;
    let size = { width: 0, height: 0, dpr: 1 };
    let fitted = false;
    let cursor: Point | null = null;
    let spaceHeld = false;
    let pan: { pointerId: number; last: Point } | null = null;
    let drawingPointer: number | null = null;
    // Two fingers pinch-zoom and pan; one finger paints.
    const touches = new Map<number, Point>();
    let pinch: { distance: number; middle: Point } | null = null;
    const pinchState = () => {
      const [a, b] = [...touches.values()];
      if (!a || !b) return null;
      return {
        distance: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)),
        middle: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 },
      };
    };

    // The mask at the display bitmap's resolution.
    const makeOverlay = (state: MaskState): Overlay => {
      const preview = new MaskPreview(bitmap.width, bitmap.height, bitmap.width / Math.max(1, state.width));
      const overlayCanvas = document.createElement("canvas");
      overlayCanvas.width = bitmap.width;
      overlayCanvas.height = bitmap.height;
      const context = overlayCanvas.getContext("2d")!;
      return {
        preview,
        canvas: overlayCanvas,
        context,
        image: context.createImageData(bitmap.width, bitmap.height),
        color: "",
      };
    };
    let overlay = makeOverlay(store.getState());
    let overlayFor = store.getState().width;

    const paintOverlay = (state: MaskState) => {
      if (state.width !== overlayFor) {
        overlay = makeOverlay(state);
        overlayFor = state.width;
      }
      let dirty = overlay.preview.sync(state);
      if (overlay.color !== state.overlayColor) {
        overlay.color = state.overlayColor;
        dirty = { x0: 0, y0: 0, x1: overlay.preview.width, y1: overlay.preview.height };
      }
      if (!dirty) return;
      const [r, g, b] = hexToRgb(overlay.color);
      const { raster, width } = overlay.preview;
      const data = overlay.image.data;
      for (let y = dirty.y0; y < dirty.y1; y++) {
        for (let x = dirty.x0; x < dirty.x1; x++) {
          const i = y * width + x;
          const o = i * 4;
          if (raster[i]) {
            data[o] = r;
            data[o + 1] = g;
            data[o + 2] = b;
            data[o + 3] = 255;
          } else data[o + 3] = 0;
        }
      }
      overlay.context.putImageData(
        overlay.image,
        0,
        0,
        dirty.x0,
        dirty.y0,
        dirty.x1 - dirty.x0,
        dirty.y1 - dirty.y0,
      );
    };

    const draw = () => {
      frame = 0;
      const state = store.getState();
      paintOverlay(state);
      const { dpr } = size;
      const v = state.view;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      if (state.width === 0) return;
      const w = state.width;
      const h = state.height;
      // Photo with a soft shadow
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.save();
      ctx.shadowColor = "rgba(0,0,0,0.45)";
      ctx.shadowBlur = 24;
      ctx.shadowOffsetY = 6;
      ctx.fillStyle = "#000";
      ctx.fillRect(v.x, v.y, w * v.scale, h * v.scale);
      ctx.restore();
      ctx.setTransform(dpr * v.scale, 0, 0, dpr * v.scale, dpr * v.x, dpr * v.y);
      const displayScale = (v.scale * bitmap.width) / w;
      ctx.imageSmoothingEnabled = displayScale < 3;
      ctx.imageSmoothingQuality = "high";
      ctx.drawImage(bitmap, 0, 0, w, h);
      if (!state.comparing) {
        ctx.globalAlpha = state.overlayOpacity;
        ctx.drawImage(overlay.canvas, 0, 0, w, h);
        ctx.globalAlpha = 1;
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      // Rectangle being dragged
      const draft = state.draft;
      if (draft?.kind === "rect") {
        const r = rectPixels(draft.from, draft.to, 1, w, h);
        const a = sourceToScreen(v, { x: r.x0, y: r.y0 });
        const b = sourceToScreen(v, { x: r.x1, y: r.y1 });
        ctx.fillStyle = draft.mode === "paint" ? state.overlayColor : "#000000";
        ctx.globalAlpha = draft.mode === "paint" ? state.overlayOpacity : 0.35;
        ctx.fillRect(a.x, a.y, b.x - a.x, b.y - a.y);
        ctx.globalAlpha = 1;
        ctx.lineWidth = 1;
        ctx.setLineDash([5, 4]);
        ctx.strokeStyle = "#000";
        ctx.strokeRect(a.x + 0.5, a.y + 0.5, b.x - a.x, b.y - a.y);
        ctx.lineDashOffset = 4.5;
        ctx.strokeStyle = "#fff";
        ctx.strokeRect(a.x + 0.5, a.y + 0.5, b.x - a.x, b.y - a.y);
        ctx.setLineDash([]);
        ctx.lineDashOffset = 0;
      }
      // Brush outline
      const brushy = (state.tool === "brush" || state.tool === "eraser") && !spaceHeld && !pan;
      if (cursor && brushy) {
        const radius = Math.max(1, (state.brushSize / 2) * v.scale);
        ctx.lineWidth = 1.5;
        ctx.strokeStyle = "rgba(0,0,0,0.7)";
        ctx.beginPath();
        ctx.arc(cursor.x, cursor.y, radius + 1, 0, Math.PI * 2);
        ctx.stroke();
        ctx.strokeStyle = state.tool === "eraser" ? "#ffd166" : "#ffffff";
        ctx.beginPath();
        ctx.arc(cursor.x, cursor.y, radius, 0, Math.PI * 2);
        ctx.stroke();
        if (radius < 6) {
          ctx.beginPath();
          ctx.moveTo(cursor.x - 8, cursor.y);
          ctx.lineTo(cursor.x + 8, cursor.y);
          ctx.moveTo(cursor.x, cursor.y - 8);
          ctx.lineTo(cursor.x, cursor.y + 8);
          ctx.stroke();
        }
      }
    };
    const requestDraw = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };

    const updateCursorStyle = () => {
      const state = store.getState();
      const panning = pan !== null;
      let style = "none";
      if (panning) style = "grabbing";
      else if (spaceHeld || state.tool === "pan") style = "grab";
      else if (state.tool === "rect") style = "crosshair";
      canvas.style.cursor = style;
    };

    const resize = () => {
      const rect = container.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      size = { width: rect.width, height: rect.height, dpr };
      canvas.width = Math.max(1, Math.round(rect.width * dpr));
      canvas.height = Math.max(1, Math.round(rect.height * dpr));
      canvas.style.width = `${rect.width}px`;
      canvas.style.height = `${rect.height}px`;
      if (!fitted && rect.width > 0 && rect.height > 0) {
        fitted = true;
        store.fit({ width: rect.width, height: rect.height });
      }
      requestDraw();
    };
    const observer = new ResizeObserver(resize);
    observer.observe(container);
    resize();

    const local = (event: { clientX: number; clientY: number }): Point => {
      const rect = canvas.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    };
    const toSource = (event: { clientX: number; clientY: number }) =>
      screenToSource(store.getState().view, local(event));

    const onPointerDown = (event: PointerEvent) => {
      // Take focus from a text field (so shortcuts work) without a keyboard focus ring.
      canvas.dataset.pointerFocus = "";
      canvas.focus({ preventScroll: true });
      const state = store.getState();
      if (event.pointerType === "touch") {
        touches.set(event.pointerId, local(event));
        if (touches.size === 2) {
          // A second finger: this is a pinch, not a stroke.
          if (drawingPointer !== null) store.cancelDraft();
          drawingPointer = null;
          pan = null;
          pinch = pinchState();
          canvas.setPointerCapture(event.pointerId);
          return;
        }
        if (touches.size > 2) return;
      }
      if (pan || drawingPointer !== null) return; // one pointer at a time
      const wantsPan = event.button === 1 || (event.button === 0 && (spaceHeld || state.tool === "pan"));
      if (wantsPan) {
        event.preventDefault();
        pan = { pointerId: event.pointerId, last: local(event) };
        canvas.setPointerCapture(event.pointerId);
        updateCursorStyle();
        return;
      }
      if (event.button !== 0) return;
      event.preventDefault();
      drawingPointer = event.pointerId;
      canvas.setPointerCapture(event.pointerId);
      cursor = event.pointerType === "touch" ? null : local(event);
      store.pointerDown(toSource(event), { erase: event.altKey });
    };
    const onPointerMove = (event: PointerEvent) => {
      if (event.pointerType === "touch" && touches.has(event.pointerId)) {
        touches.set(event.pointerId, local(event));
        if (pinch) {
          const next = pinchState();
          if (next) {
            store.zoomAt(pinch.middle, next.distance / pinch.distance);
            store.panBy(next.middle.x - pinch.middle.x, next.middle.y - pinch.middle.y);
            pinch = next;
          }
          return;
        }
      }
      cursor = event.pointerType === "touch" ? null : local(event);
      if (pan && event.pointerId === pan.pointerId) {
        const point = local(event);
        store.panBy(point.x - pan.last.x, point.y - pan.last.y);
        pan.last = point;
        return;
      }
      if (drawingPointer === event.pointerId) {
        const events = typeof event.getCoalescedEvents === "function" ? event.getCoalescedEvents() : [];
        for (const e of events.length > 0 ? events : [event]) store.pointerMove(toSource(e));
      }
      requestDraw();
    };
    const endPointer = (event: PointerEvent, commit: boolean) => {
      touches.delete(event.pointerId);
      if (touches.size < 2) pinch = null;
      if (pan && event.pointerId === pan.pointerId) {
        pan = null;
        updateCursorStyle();
      } else if (drawingPointer === event.pointerId) {
        drawingPointer = null;
        if (commit) store.pointerUp();
        else store.cancelDraft();
      }
      if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
      requestDraw();
    };
    const onPointerUp = (event: PointerEvent) => endPointer(event, true);
    const onPointerCancel = (event: PointerEvent) => endPointer(event, false);
    const onPointerLeave = () => {
      cursor = null;
      requestDraw();
    };
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const anchor = local(event);
      if (event.shiftKey && !event.ctrlKey) {
        store.panBy(-event.deltaY, -event.deltaX);
        return;
      }
      const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
      const speed = event.ctrlKey ? 0.01 : 0.0018; // pinch gestures arrive as ctrl+wheel with small deltas
      store.zoomAt(anchor, Math.exp(-event.deltaY * unit * speed));
    };
    const onAuxClick = (event: MouseEvent) => {
      if (event.button === 1) event.preventDefault();
    };
    const isTyping = (target: EventTarget | null) =>
      target instanceof HTMLElement &&
      (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Tab") delete canvas.dataset.pointerFocus;
      // Arrow keys pan while the canvas has focus.
      const arrows: Record<string, [number, number]> = {
        ArrowLeft: [1, 0],
        ArrowRight: [-1, 0],
        ArrowUp: [0, 1],
        ArrowDown: [0, -1],
      };
      const arrow = arrows[event.key];
      if (arrow && event.target === canvas) {
        event.preventDefault();
        const step = event.shiftKey ? 200 : 50;
        store.panBy(arrow[0] * step, arrow[1] * step);
        return;
      }
      if (event.code === "Space" && !isTyping(event.target) && !(event.target instanceof HTMLButtonElement)) {
        if (!spaceHeld) {
          spaceHeld = true;
          updateCursorStyle();
          requestDraw();
        }
        if (event.target === canvas || event.target === document.body) event.preventDefault();
      }
    };
    const onKeyUp = (event: KeyboardEvent) => {
      if (event.code === "Space" && spaceHeld) {
        spaceHeld = false;
        updateCursorStyle();
        requestDraw();
      }
    };
    const onCanvasBlur = () => delete canvas.dataset.pointerFocus;
    const onBlur = () => {
      spaceHeld = false;
      updateCursorStyle();
    };

    canvas.addEventListener("pointerdown", onPointerDown);
    canvas.addEventListener("pointermove", onPointerMove);
    canvas.addEventListener("pointerup", onPointerUp);
    canvas.addEventListener("pointercancel", onPointerCancel);
    canvas.addEventListener("pointerleave", onPointerLeave);
    canvas.addEventListener("wheel", onWheel, { passive: false });
    canvas.addEventListener("auxclick", onAuxClick);
    canvas.addEventListener("blur", onCanvasBlur);
    window.addEventListener("keydown", onKeyDown);
    window.addEventListener("keyup", onKeyUp);
    window.addEventListener("blur", onBlur);
    const unsubscribe = store.subscribe(() => {
      updateCursorStyle();
      requestDraw();
    });
    updateCursorStyle();

    return () => {
      unsubscribe();
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
      canvas.removeEventListener("pointerdown", onPointerDown);
      canvas.removeEventListener("pointermove", onPointerMove);
      canvas.removeEventListener("pointerup", onPointerUp);
      canvas.removeEventListener("pointercancel", onPointerCancel);
      canvas.removeEventListener("pointerleave", onPointerLeave);
      canvas.removeEventListener("wheel", onWheel);
      canvas.removeEventListener("auxclick", onAuxClick);
      canvas.removeEventListener("blur", onCanvasBlur);
      window.removeEventListener("keydown", onKeyDown);
      window.removeEventListener("keyup", onKeyUp);
      window.removeEventListener("blur", onBlur);
    };
  }, [store, bitmap]);

  return (
    <div ref={containerRef} className="mask-canvas">
      <canvas
        ref={canvasRef}
        tabIndex={0}
        role="img"
        aria-label={label}
        data-testid="mask-canvas"
        onContextMenu={(e) => e.preventDefault()}
      />
    </div>
  );
}
