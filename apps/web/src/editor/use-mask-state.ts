import { useSyncExternalStore } from "react";
import type { MaskState, MaskStore } from "./mask-store";

/** The whole mask state, re-rendering on every change. */
export function useMaskState(store: MaskStore): MaskState {
  return useSyncExternalStore(store.subscribe, store.getState);
}

/** One slice of the mask state; re-renders only when it changes (compare with `Object.is`). */
export function useMaskSelector<T>(store: MaskStore, select: (state: MaskState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
