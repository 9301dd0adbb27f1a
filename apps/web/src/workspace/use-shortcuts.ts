import { useEffect } from "react";
import type { MaskStore } from "../editor/mask-store";

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.tagName === "TEXTAREA" || target.tagName === "SELECT") return true;
  if (target.tagName === "INPUT") {
    const type = (target as HTMLInputElement).type;
    return !["range", "radio", "checkbox", "button", "submit", "file"].includes(type);
  }
  return false;
}

/**
 * The editor's keyboard shortcuts: B E R H tools, [ ] brush size, Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y,
 * I invert, Shift+Delete clear, hold \ to compare, + − 0 zoom, Escape drops a stroke in progress.
 */
export function useEditorShortcuts(
  store: MaskStore,
  enabled: boolean,
  view: { zoom(factor: number): void; fit(): void },
) {
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTypingTarget(event.target)) return;
      if (document.querySelector("dialog[open]")) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key;
      let handled = true;
      if (mod && !event.altKey && (key === "z" || key === "Z")) {
        if (event.shiftKey) store.redo();
        else store.undo();
      } else if (mod && (key === "y" || key === "Y")) store.redo();
      else if (mod || event.altKey) handled = false;
      else if (key === "b" || key === "B") store.setTool("brush");
      else if (key === "e" || key === "E") store.setTool("eraser");
      else if (key === "r" || key === "R") store.setTool("rect");
      else if (key === "h" || key === "H") store.setTool("pan");
      else if (key === "[") store.shrinkBrush();
      else if (key === "]") store.growBrush();
      else if (key === "i" || key === "I") store.invert();
      else if ((key === "Delete" || key === "Backspace") && event.shiftKey) store.clear();
      else if (key === "\\") store.setComparing(true);
      else if (key === "+" || key === "=") view.zoom(1.25);
      else if (key === "-" || key === "_") view.zoom(1 / 1.25);
      else if (key === "0") view.fit();
      else if (key === "Escape") store.cancelDraft();
      else handled = false;
      if (handled) event.preventDefault();
    };
    const onKeyUp = (event: KeyboardEvent) => {
      if (event.key === "\\") store.setComparing(false);
    };
    const onBlur = () => store.setComparing(false);
    window.addEventListener("keydown", onKeyDown);
    window.addEventListener("keyup", onKeyUp);
    window.addEventListener("blur", onBlur);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
      window.removeEventListener("keyup", onKeyUp);
      window.removeEventListener("blur", onBlur);
    };
  }, [store, enabled, view]);
}
