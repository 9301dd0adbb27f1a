import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { fitView, screenToSource, sourceToScreen, zoomAt } from "../src/editor/geometry";
import { MaskPreview } from "../src/editor/mask-preview";
import { createMaskStore, type MaskStore } from "../src/editor/mask-store";
import { encodeGreyscalePng } from "../src/editor/png";
import { rasterise } from "../src/editor/rasterise";

const at = (mask: Uint8Array, width: number, x: number, y: number) => mask[y * width + x];

function stroke(store: MaskStore, points: [number, number][], options?: { erase?: boolean }) {
  const [first, ...rest] = points;
  store.pointerDown({ x: first![0], y: first![1] }, options);
  for (const [x, y] of rest) store.pointerMove({ x, y });
  store.pointerUp();
}

function rect(store: MaskStore, from: [number, number], to: [number, number]) {
  store.setTool("rect");
  store.pointerDown({ x: from[0], y: from[1] });
  store.pointerMove({ x: to[0], y: to[1] });
  store.pointerUp();
}

function count(mask: Uint8Array) {
  return mask.reduce((n, v) => n + (v === 255 ? 1 : 0), 0);
}

describe("mask store", () => {
  it("paints a brush stroke as a capsule of the brush's diameter", () => {
    // Prepare
    const store = createMaskStore({ brushSize: 10 });
    store.setImage(100, 50);
    // Act
    stroke(store, [
      [20, 25],
      [80, 25],
    ]);
    const mask = store.rasterise();
    // Assess
    expect(mask).toHaveLength(100 * 50);
    expect(at(mask, 100, 50, 25)).toBe(255);
    expect(at(mask, 100, 50, 21)).toBe(255); // within the 5 px radius
    expect(at(mask, 100, 50, 31)).toBe(0); // outside it
    expect(at(mask, 100, 16, 25)).toBe(255); // round cap
    expect(at(mask, 100, 10, 25)).toBe(0);
    expect(at(mask, 100, 50, 5)).toBe(0);
    expect(store.getState().draft).toBeNull();
  });

  it("paints a single click as a dot", () => {
    const store = createMaskStore({ brushSize: 6 });
    store.setImage(20, 20);
    stroke(store, [[10, 10]]);
    const mask = store.rasterise();
    expect(at(mask, 20, 10, 10)).toBe(255);
    expect(count(mask)).toBeGreaterThan(20);
    expect(count(mask)).toBeLessThan(40); // ~π·3²
  });

  it("erases with the eraser tool and with the brush's erase option", () => {
    // Prepare
    const store = createMaskStore({ brushSize: 20 });
    store.setImage(100, 100);
    rect(store, [0, 0], [100, 100]);
    expect(count(store.rasterise())).toBe(100 * 100);
    // Act
    store.setTool("eraser");
    stroke(store, [
      [50, 0],
      [50, 100],
    ]);
    store.setTool("brush");
    stroke(
      store,
      [
        [0, 80],
        [100, 80],
      ],
      { erase: true },
    );
    const mask = store.rasterise();
    // Assess
    expect(at(mask, 100, 50, 50)).toBe(0);
    expect(at(mask, 100, 10, 80)).toBe(0);
    expect(at(mask, 100, 10, 10)).toBe(255);
    expect(at(mask, 100, 90, 40)).toBe(255);
  });

  it("fills a rectangle dragged in any direction, clamped to the image", () => {
    const store = createMaskStore();
    store.setImage(40, 30);
    rect(store, [30, 20], [10, 5]);
    const mask = store.rasterise();
    expect(count(mask)).toBe(20 * 15);
    expect(at(mask, 40, 10, 5)).toBe(255);
    expect(at(mask, 40, 29, 19)).toBe(255);
    expect(at(mask, 40, 30, 19)).toBe(0);
    rect(store, [-50, -50], [5, 5]);
    expect(count(store.rasterise())).toBe(20 * 15 + 25);
  });

  it("ignores a rectangle with no area", () => {
    const store = createMaskStore();
    store.setImage(10, 10);
    rect(store, [3, 3], [3, 9]);
    expect(store.getState().ops).toHaveLength(0);
    expect(store.canUndo()).toBe(false);
  });

  it("undoes and redoes, and a new stroke clears redo", () => {
    // Prepare
    const store = createMaskStore({ brushSize: 4 });
    store.setImage(50, 50);
    stroke(store, [
      [5, 5],
      [45, 5],
    ]);
    stroke(store, [
      [5, 25],
      [45, 25],
    ]);
    const both = store.rasterise();
    // Act / Assess
    store.undo();
    expect(at(store.rasterise(), 50, 25, 25)).toBe(0);
    expect(at(store.rasterise(), 50, 25, 5)).toBe(255);
    expect(store.canRedo()).toBe(true);
    store.redo();
    expect(store.rasterise()).toEqual(both);
    store.undo();
    stroke(store, [
      [5, 45],
      [45, 45],
    ]);
    expect(store.canRedo()).toBe(false);
    store.redo(); // nothing to redo
    expect(at(store.rasterise(), 50, 25, 25)).toBe(0);
    expect(at(store.rasterise(), 50, 25, 45)).toBe(255);
    store.undo();
    store.undo();
    expect(count(store.rasterise())).toBe(0);
    expect(store.canUndo()).toBe(false);
    store.undo(); // nothing to undo
    expect(count(store.rasterise())).toBe(0);
  });

  it("keeps at most historyLimit undo steps", () => {
    // Prepare
    const store = createMaskStore({ historyLimit: 3, brushSize: 2 });
    store.setImage(20, 20);
    // Act
    for (let i = 0; i < 5; i++) stroke(store, [[2 + i * 4, 10]]);
    let undos = 0;
    while (store.canUndo()) {
      store.undo();
      undos++;
    }
    // Assess: three steps back leaves the first two dots
    expect(undos).toBe(3);
    expect(store.getState().ops).toHaveLength(2);
    expect(at(store.rasterise(), 20, 2, 10)).toBe(255);
    expect(at(store.rasterise(), 20, 6, 10)).toBe(255);
    expect(at(store.rasterise(), 20, 10, 10)).toBe(0);
  });

  it("clears (undoably) and inverts (undoably); painting after invert adds to the change area", () => {
    // Prepare
    const store = createMaskStore({ brushSize: 4 });
    store.setImage(30, 30);
    rect(store, [0, 0], [10, 30]);
    // Act / Assess: invert
    store.invert();
    let mask = store.rasterise();
    expect(count(mask)).toBe(20 * 30);
    expect(at(mask, 30, 5, 5)).toBe(0);
    expect(at(mask, 30, 25, 5)).toBe(255);
    store.setTool("brush");
    stroke(store, [[5, 15]]);
    expect(at(store.rasterise(), 30, 5, 15)).toBe(255);
    // clear
    store.clear();
    mask = store.rasterise();
    expect(count(mask)).toBe(0);
    expect(store.isEmpty()).toBe(true);
    store.undo();
    expect(at(store.rasterise(), 30, 25, 5)).toBe(255);
    expect(store.isEmpty()).toBe(false);
  });

  it("drops the draft on cancel and starts afresh on a new image", () => {
    const store = createMaskStore();
    store.setImage(10, 10);
    store.pointerDown({ x: 1, y: 1 });
    store.cancelDraft();
    store.pointerUp();
    expect(store.getState().ops).toHaveLength(0);
    rect(store, [0, 0], [5, 5]);
    store.setImage(20, 10);
    expect(store.getState()).toMatchObject({ width: 20, height: 10, ops: [], past: [], future: [] });
    expect(store.rasterise()).toHaveLength(200);
  });

  it("changes the brush with [ and ] within limits", () => {
    const store = createMaskStore({ brushSize: 10 });
    store.growBrush();
    expect(store.getState().brushSize).toBeGreaterThan(10);
    for (let i = 0; i < 100; i++) store.shrinkBrush();
    expect(store.getState().brushSize).toBe(1);
    store.setBrushSize(1e9);
    expect(store.getState().brushSize).toBe(1000);
  });

  it("notifies subscribers with a new state object on each change", () => {
    const store = createMaskStore();
    const seen: unknown[] = [];
    const unsubscribe = store.subscribe(() => seen.push(store.getState()));
    const before = store.getState();
    store.setTool("eraser");
    unsubscribe();
    store.setTool("brush");
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toBe(before);
  });
});

describe("mask export", () => {
  it("is a greyscale PNG of exactly the source's size, with only 0 and 255", async () => {
    // Prepare
    const store = createMaskStore({ brushSize: 30 });
    store.setImage(513, 287);
    stroke(store, [
      [100, 100],
      [400, 200],
    ]);
    // Act
    const png = await encodeGreyscalePng(store.rasterise(), 513, 287);
    const metadata = await sharp(png).metadata();
    const { data, info } = await sharp(png).toColourspace("b-w").raw().toBuffer({ resolveWithObject: true });
    // Assess
    expect(metadata).toMatchObject({ format: "png", width: 513, height: 287, channels: 1, space: "b-w" });
    expect(info).toMatchObject({ width: 513, height: 287, channels: 1 });
    expect(new Set(data)).toEqual(new Set([0, 255]));
    expect(Buffer.from(store.rasterise()).equals(data)).toBe(true);
  });

  it("refuses pixels of the wrong length", async () => {
    await expect(encodeGreyscalePng(new Uint8Array(10), 4, 4)).rejects.toThrow(/16 pixels/);
  });
});

describe("view mapping", () => {
  it("maps screen to source and back under zoom and pan", () => {
    // Prepare
    const view = { scale: 2.5, x: 40, y: -30 };
    // Act
    const source = screenToSource(view, { x: 140, y: 70 });
    // Assess
    expect(source).toEqual({ x: 40, y: 40 });
    expect(sourceToScreen(view, source)).toEqual({ x: 140, y: 70 });
  });

  it("keeps the point under the cursor still when zooming", () => {
    const view = { scale: 1, x: 10, y: 20 };
    const anchor = { x: 300, y: 200 };
    const before = screenToSource(view, anchor);
    const zoomed = zoomAt(view, anchor, 2);
    expect(zoomed.scale).toBe(2);
    const after = screenToSource(zoomed, anchor);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });

  it("fits and centres the image", () => {
    const view = fitView({ width: 1000, height: 500 }, { width: 600, height: 600 }, 50);
    expect(view.scale).toBeCloseTo(0.5);
    expect(view.x).toBeCloseTo(50);
    expect(view.y).toBeCloseTo(175);
  });

  it("paints where the pointer is on screen after zooming and panning", () => {
    // Prepare: a 200×100 image shown at 3× and panned
    const store = createMaskStore({ brushSize: 2 });
    store.setImage(200, 100);
    store.fit({ width: 400, height: 200 });
    store.zoomAt({ x: 200, y: 100 }, 3);
    store.panBy(-50, 20);
    const view = store.getState().view;
    // Act: a click at a screen position, mapped the way the canvas maps pointer events
    const screen = sourceToScreen(view, { x: 120.5, y: 40.5 });
    store.pointerDown(screenToSource(view, screen));
    store.pointerUp();
    // Assess
    const mask = store.rasterise();
    expect(at(mask, 200, 120, 40)).toBe(255);
    expect(at(mask, 200, 130, 40)).toBe(0);
  });
});

describe("preview raster", () => {
  it("stays equal to a full rasterisation while drawing, undoing and inverting", () => {
    // Prepare
    const store = createMaskStore({ brushSize: 8 });
    store.setImage(400, 300);
    const preview = new MaskPreview(200, 150, 0.5);
    const check = () => {
      preview.sync(store.getState());
      const state = store.getState();
      const ops = state.draft?.kind === "stroke" ? [...state.ops, state.draft] : state.ops;
      expect(Buffer.from(preview.raster).equals(Buffer.from(rasterise(ops, 200, 150, 0.5)))).toBe(true);
    };
    // Act / Assess
    store.pointerDown({ x: 10, y: 10 });
    check();
    for (let i = 1; i < 20; i++) {
      store.pointerMove({ x: 10 + i * 15, y: 10 + i * 10 });
      check();
    }
    store.pointerUp();
    check();
    store.invert();
    check();
    rect(store, [100, 100], [200, 200]);
    check();
    store.undo();
    check();
    store.undo();
    check();
    store.redo();
    check();
    store.clear();
    check();
  });
});
