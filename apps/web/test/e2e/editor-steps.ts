import { join } from "node:path";
import type { Page } from "playwright-core";
import { fitView, sourceToScreen, type Point } from "../../src/editor/geometry";
import { PHOTOS } from "./support";

/** Width and height of the photo open in the editor. */
export interface Size {
  width: number;
  height: number;
}

/**
 * Where a source-pixel point of the open photo is on the page, from the canvas's fitted view.
 *
 * @example
 * ```ts
 * const { x, y } = await screenPoint(page, { width: 512, height: 480 }, { x: 190, y: 200 });
 * ```
 */
export async function screenPoint(page: Page, photo: Size, source: Point): Promise<Point> {
  const box = await page.getByTestId("mask-canvas").boundingBox();
  if (!box) throw new Error("the canvas is not visible");
  const view = fitView(photo, { width: box.width, height: box.height });
  const p = sourceToScreen(view, source);
  return { x: box.x + p.x, y: box.y + p.y };
}

/**
 * Paints one brush stroke with the mouse between two source-pixel points of the open photo.
 *
 * @example
 * ```ts
 * await drag(page, { width: 512, height: 480 }, { x: 190, y: 200 }, { x: 320, y: 205 });
 * ```
 */
export async function drag(page: Page, photo: Size, from: Point, to: Point): Promise<void> {
  const a = await screenPoint(page, photo, from);
  const b = await screenPoint(page, photo, to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 16 });
  await page.mouse.up();
}

/**
 * Opens one of the shared test photos through the file input and waits for its upload to end.
 *
 * @example
 * ```ts
 * await openPhoto(page, "fruits.jpg");
 * ```
 */
export async function openPhoto(page: Page, name: string): Promise<void> {
  await page.getByTestId("file-input").setInputFiles(join(PHOTOS, name));
  await page.getByTestId("mask-canvas").waitFor();
  await page.getByRole("status").filter({ hasText: "Uploading" }).waitFor({ state: "detached" });
}

/**
 * Counts the pixels an edit changed inside and outside a mask (greyscale, 255 = painted), from the
 * source and the result as RGBA.
 *
 * @example
 * ```ts
 * const { changedOutside } = changedPixels(await rgba(source), await rgba(result), await maskPixels(mask));
 * expect(changedOutside).toBe(0);
 * ```
 */
export function changedPixels(
  source: { data: Uint8Array },
  edited: { data: Uint8Array },
  mask: { data: Uint8Array },
): { changedInside: number; changedOutside: number } {
  let changedInside = 0;
  let changedOutside = 0;
  for (let i = 0; i < mask.data.length; i++) {
    const o = i * 4;
    const same =
      source.data[o] === edited.data[o] &&
      source.data[o + 1] === edited.data[o + 1] &&
      source.data[o + 2] === edited.data[o + 2] &&
      source.data[o + 3] === edited.data[o + 3];
    if (same) continue;
    if (mask.data[i] === 255) changedInside++;
    else changedOutside++;
  }
  return { changedInside, changedOutside };
}

/**
 * Waits until every image of the results gallery has loaded. The check is a string evaluated in
 * the page, since this module is also type-checked without the DOM library (from infra/test).
 *
 * @example
 * ```ts
 * await resultImagesLoaded(page);
 * ```
 */
export async function resultImagesLoaded(page: Page): Promise<void> {
  await page.waitForFunction(
    "[...document.querySelectorAll('.results img')].every((i) => i.complete && i.naturalWidth > 0)",
  );
}
