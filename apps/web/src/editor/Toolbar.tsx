import type { ReactNode } from "react";
import type { MaskStore, Tool } from "./mask-store";
import { useMaskSelector } from "./use-mask-state";
import {
  BrushIcon,
  EraserIcon,
  HandIcon,
  InvertIcon,
  RectIcon,
  RedoIcon,
  TrashIcon,
  UndoIcon,
} from "../ui/icons";

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
export const MOD = isMac ? "⌘" : "Ctrl+";

const TOOLS: { tool: Tool; label: string; key: string; icon: ReactNode }[] = [
  { tool: "brush", label: "Brush", key: "B", icon: <BrushIcon /> },
  { tool: "eraser", label: "Eraser", key: "E", icon: <EraserIcon /> },
  { tool: "rect", label: "Rectangle", key: "R", icon: <RectIcon /> },
  { tool: "pan", label: "Hand (pan)", key: "H", icon: <HandIcon /> },
];

function ToolButton({
  label,
  shortcut,
  pressed,
  disabled,
  onClick,
  children,
}: {
  label: string;
  shortcut: string;
  pressed?: boolean;
  disabled?: boolean;
  onClick(): void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="tool-btn"
      aria-label={label}
      aria-pressed={pressed}
      aria-keyshortcuts={shortcut.replace("⌘", "Meta+")}
      data-tooltip={`${label} (${shortcut})`}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

/** Tools and history actions: a vertical rail on wide screens, a row on narrow ones. */
export function Toolbar({ store, disabled }: { store: MaskStore; disabled: boolean }) {
  const tool = useMaskSelector(store, (s) => s.tool);
  const canUndo = useMaskSelector(store, (s) => s.past.length > 0);
  const canRedo = useMaskSelector(store, (s) => s.future.length > 0);
  const hasOps = useMaskSelector(store, (s) => s.ops.length > 0);
  return (
    <div
      className="toolbar"
      role="toolbar"
      aria-label="Mask tools"
      onKeyDown={(e) => {
        // Arrow keys move between the tools (Tab still reaches each one).
        if (!["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].includes(e.key)) return;
        const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>("button:not(:disabled)")];
        const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
        if (index < 0) return;
        e.preventDefault();
        const step = e.key === "ArrowUp" || e.key === "ArrowLeft" ? -1 : 1;
        buttons[(index + step + buttons.length) % buttons.length]?.focus();
      }}
    >
      <div className="toolbar-group" role="group" aria-label="Tool">
        {TOOLS.map((t) => (
          <ToolButton
            key={t.tool}
            label={t.label}
            shortcut={t.key}
            pressed={tool === t.tool}
            disabled={disabled}
            onClick={() => store.setTool(t.tool)}
          >
            {t.icon}
          </ToolButton>
        ))}
      </div>
      <div className="toolbar-sep" aria-hidden="true" />
      <div className="toolbar-group" role="group" aria-label="History">
        <ToolButton label="Undo" shortcut={`${MOD}Z`} disabled={disabled || !canUndo} onClick={store.undo}>
          <UndoIcon />
        </ToolButton>
        <ToolButton
          label="Redo"
          shortcut={`${MOD}Shift+Z`}
          disabled={disabled || !canRedo}
          onClick={store.redo}
        >
          <RedoIcon />
        </ToolButton>
      </div>
      <div className="toolbar-sep" aria-hidden="true" />
      <div className="toolbar-group" role="group" aria-label="Mask">
        <ToolButton label="Invert mask" shortcut="I" disabled={disabled} onClick={store.invert}>
          <InvertIcon />
        </ToolButton>
        <ToolButton
          label="Clear mask"
          shortcut="Shift+Delete"
          disabled={disabled || !hasOps}
          onClick={store.clear}
        >
          <TrashIcon />
        </ToolButton>
      </div>
    </div>
  );
}
