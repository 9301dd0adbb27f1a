import { useId } from "react";
import { MAX_BRUSH, MIN_BRUSH, OVERLAY_COLORS, type MaskStore } from "./mask-store";
import { useMaskSelector } from "./use-mask-state";
import { EyeIcon, FitIcon, ZoomInIcon, ZoomOutIcon } from "../ui/icons";

const COLOR_NAMES: Record<string, string> = {
  "#ff3b6b": "Pink",
  "#3b82f6": "Blue",
  "#22c55e": "Green",
  "#f5b400": "Amber",
  "#ffffff": "White",
};

/** A slider whose scale is logarithmic: brush sizes from 1 to 1000 px stay easy to pick. */
const toSlider = (size: number) => Math.round((Math.log(size) / Math.log(MAX_BRUSH)) * 1000);
const fromSlider = (value: number) => Math.round(Math.exp((value / 1000) * Math.log(MAX_BRUSH)));

/** Brush size, overlay, compare and zoom: the bar above the canvas. */
export function OptionsBar({
  store,
  onZoom,
  onFit,
}: {
  store: MaskStore;
  onZoom(factor: number): void;
  onFit(): void;
}) {
  const tool = useMaskSelector(store, (s) => s.tool);
  const brushSize = useMaskSelector(store, (s) => s.brushSize);
  const color = useMaskSelector(store, (s) => s.overlayColor);
  const opacity = useMaskSelector(store, (s) => s.overlayOpacity);
  const comparing = useMaskSelector(store, (s) => s.comparing);
  const scale = useMaskSelector(store, (s) => s.view.scale);
  const sizeId = useId();
  const opacityId = useId();
  const brushy = tool === "brush" || tool === "eraser";

  return (
    <div className="options-bar" role="toolbar" aria-label="Tool options">
      <div className={`option option--size${brushy ? "" : " option--dim"}`}>
        <label htmlFor={sizeId}>Size</label>
        <input
          id={sizeId}
          type="range"
          min={toSlider(MIN_BRUSH)}
          max={toSlider(MAX_BRUSH)}
          value={toSlider(brushSize)}
          aria-valuetext={`${brushSize} pixels`}
          aria-keyshortcuts="[ ]"
          onChange={(e) => store.setBrushSize(fromSlider(Number(e.target.value)))}
        />
        <output htmlFor={sizeId} className="option-value">
          {brushSize} px
        </output>
      </div>
      <div className="option option--overlay">
        <span className="option-label" id={`${opacityId}-colors`}>
          Overlay
        </span>
        <div className="swatches" role="radiogroup" aria-labelledby={`${opacityId}-colors`}>
          {OVERLAY_COLORS.map((c) => (
            <button
              key={c}
              type="button"
              role="radio"
              aria-checked={color === c}
              aria-label={COLOR_NAMES[c] ?? c}
              className="swatch"
              style={{ background: c }}
              onClick={() => store.setOverlayColor(c)}
            />
          ))}
        </div>
        <label htmlFor={opacityId} className="visually-hidden">
          Overlay opacity
        </label>
        <input
          id={opacityId}
          className="opacity-range"
          type="range"
          min={5}
          max={100}
          value={Math.round(opacity * 100)}
          aria-valuetext={`${Math.round(opacity * 100)} percent`}
          onChange={(e) => store.setOverlayOpacity(Number(e.target.value) / 100)}
        />
        <span className="option-value option-value--narrow" aria-hidden="true">
          {Math.round(opacity * 100)}%
        </span>
      </div>
      <div className="option option--push">
        <button
          type="button"
          className={`btn btn--quiet btn--sm${comparing ? " is-active" : ""}`}
          aria-pressed={comparing}
          aria-keyshortcuts="\"
          aria-label="Hold to compare with the original"
          title="Hold to see the photo without the mask (or hold the \ key)"
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture(e.pointerId);
            store.setComparing(true);
          }}
          onPointerUp={() => store.setComparing(false)}
          onPointerCancel={() => store.setComparing(false)}
          onKeyDown={(e) => {
            if ((e.key === " " || e.key === "Enter") && !e.repeat) {
              e.preventDefault();
              store.setComparing(true);
            }
          }}
          onKeyUp={(e) => {
            if (e.key === " " || e.key === "Enter") store.setComparing(false);
          }}
          onBlur={() => store.setComparing(false)}
        >
          <EyeIcon size={16} />
          <span className="hide-narrow">Compare</span>
        </button>
      </div>
      <div className="option option--zoom" role="group" aria-label="Zoom">
        <button
          type="button"
          className="icon-btn"
          aria-label="Zoom out"
          aria-keyshortcuts="-"
          onClick={() => onZoom(1 / 1.25)}
        >
          <ZoomOutIcon size={16} />
        </button>
        <output className="zoom-value" aria-live="off" aria-label="Zoom level">
          {Math.round(scale * 100)}%
        </output>
        <button
          type="button"
          className="icon-btn"
          aria-label="Zoom in"
          aria-keyshortcuts="+"
          onClick={() => onZoom(1.25)}
        >
          <ZoomInIcon size={16} />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label="Fit to screen"
          aria-keyshortcuts="0"
          onClick={onFit}
        >
          <FitIcon size={16} />
        </button>
      </div>
    </div>
  );
}
