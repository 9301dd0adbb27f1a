import sharp from "sharp";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Point } from "../../src/editor/geometry";
import {
  changedPixels,
  drag as dragOnPhoto,
  openPhoto as openPhotoIn,
  resultImagesLoaded,
} from "./editor-steps";
import {
  ADMIN_PASSWORD,
  ADMIN_TEMPORARY_PASSWORD,
  Api,
  PHOTOS,
  SCREENSHOTS,
  buildWeb,
  launchBrowser,
  maskPixels,
  rectangleMask,
  rgba,
  startServer,
} from "./support";

/**
 * The web editor against the real local server (real API, real engine, real files), driven
 * through Debian's Chromium with real mouse input. Tests run in order and share one session.
 */
describe("web editor in a browser", { timeout: 90_000 }, () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let api: Api;
  const pageErrors: string[] = [];
  /** Bodies of the PNG uploads the browser sent (the exported masks). */
  const maskUploads: Uint8Array[] = [];
  const FRUITS = { width: 512, height: 480 };

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  const alert = (text: string | RegExp) => page.getByRole("alert").filter({ hasText: text });

  const drag = (from: Point, to: Point) => dragOnPhoto(page, FRUITS, from, to);
  const openPhoto = (name: string) => openPhotoIn(page, name);

  beforeAll(async () => {
    const [, started, launched] = await Promise.all([buildWeb(), startServer(), launchBrowser()]);
    server = started;
    browser = launched;
    api = new Api(server.url);
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("request", (request) => {
      if (request.method() === "PUT" && request.headers()["content-type"] === "image/png") {
        const body = request.postDataBuffer();
        if (body) maskUploads.push(new Uint8Array(body));
      }
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it("says so when the password is wrong", async () => {
    // Prepare
    await page.goto(server.url);
    // Act
    await page.getByLabel("Username or email").fill("admin");
    await page.getByLabel("Password", { exact: true }).fill("Not-The-Passw0rd!");
    await page.getByRole("button", { name: "Sign in" }).click();
    // Assess
    await alert("Incorrect username or password.").waitFor();
    await shot("01-sign-in-wrong-password");
  });

  it("makes the first sign-in choose a new password against a live checklist", async () => {
    // Prepare
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_TEMPORARY_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    const submit = page.getByRole("button", { name: "Set password and continue" });
    // Act: a weak password first
    await page.getByLabel("New password", { exact: true }).fill("weakpass");
    // Assess
    const rules = page.getByRole("list", { name: "Password requirements" }).getByRole("listitem");
    expect(await rules.count()).toBe(5);
    expect(await page.locator(".policy-ok").count()).toBe(2); // length, lowercase
    expect(await submit.isDisabled()).toBe(true);
    await page.getByLabel("New password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByLabel("Confirm new password").fill(ADMIN_PASSWORD.slice(0, -1));
    expect(await submit.isDisabled()).toBe(true);
    await page.getByLabel("Confirm new password").fill(ADMIN_PASSWORD);
    expect(await page.locator(".policy-ok").count()).toBe(5);
    await shot("02-new-password");
    // Act
    await submit.click();
    // Assess: the editor, empty
    await page.getByRole("heading", { name: "Open a photo to start" }).waitFor();
    await page
      .getByText("Content-aware fill does not use the prompt: it fills from the surrounding pixels")
      .waitFor();
    expect(await page.getByLabel("Prompt", { exact: true }).isDisabled()).toBe(true);
    await shot("03-editor-empty");
    await api.signIn("admin", ADMIN_PASSWORD);
  });

  it("shows the server's 415 message for a text file named .png", async () => {
    // Prepare: what the API answers for those bytes
    const bytes = Buffer.from("hello, I am not an image");
    const expected = await (async () => {
      const reserved = await api.request("POST", "/images", { purpose: "source", contentType: "image/png" });
      const { upload, image } = reserved.json;
      await fetch(upload.url, { method: upload.method, headers: upload.headers, body: bytes });
      const completed = await api.request("POST", `/images/${image.id}/complete`);
      expect(completed.status).toBe(415);
      return completed.json.error.message as string;
    })();
    // Act
    await page
      .getByTestId("file-input")
      .setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: bytes });
    // Assess
    const error = page.getByTestId("stage-error");
    await error.waitFor();
    expect(await error.textContent()).toContain(expected);
    expect(await page.getByTestId("mask-canvas").count()).toBe(0);
    await shot("04-upload-415");
    await error.getByRole("button", { name: "Dismiss" }).click();
  });

  it("paints a mask, inpaints with local-fill, and downloads a PNG changed only inside the mask", async () => {
    // Prepare: open the photo
    await openPhoto("fruits.jpg");
    const generate = page.getByRole("button", { name: /Generate/ });
    expect(await generate.isDisabled()).toBe(true); // nothing painted yet
    // Act: paint two strokes with the mouse
    await drag({ x: 190, y: 200 }, { x: 320, y: 205 });
    await drag({ x: 200, y: 240 }, { x: 300, y: 245 });
    await page.getByLabel("Engine").selectOption("local-fill");
    await page.getByRole("radio", { name: "Inpaint" }).check();
    for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "More results" }).click();
    expect(await page.getByLabel("Results", { exact: true }).inputValue()).toBe("4");
    expect(await page.getByRole("button", { name: "More results" }).isDisabled()).toBe(true); // local-fill: at most 4
    await page.mouse.move(10, 450); // brush outline off the photo for the screenshot
    await shot("05-editor-mask");
    await generate.click();
    // Assess: the edit is queued (then runs), and its results are shown
    await page.getByText("Queued — waiting for the engine").waitFor();
    const result = page.getByTestId("result-image");
    await result.waitFor({ timeout: 60_000 });
    const gallery = page.getByRole("listbox", { name: "Results" }).getByRole("option");
    expect(await gallery.count()).toBe(4);
    await gallery.nth(1).click();
    expect(await gallery.nth(1).getAttribute("aria-selected")).toBe("true");
    await page.getByText("Inpaint · result 2 of 4").waitFor();
    await resultImagesLoaded(page);
    await shot("06-results");

    // Act: download the result through the browser
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download PNG" }).click(),
    ]);
    const downloaded = new Uint8Array(await readFile((await download.path())!));

    // Assess: the edit the browser made, its mask and its result
    const newest = (await api.request("GET", "/edits?limit=1")).json.items[0];
    expect(newest.edit).toMatchObject({ status: "succeeded", operation: "inpaint", engine: "local-fill" });
    expect(download.suggestedFilename()).toBe(`retouch-${newest.edit.id}-2.png`);
    expect(newest.results).toHaveLength(4);
    const second = await api.request("GET", `/images/${newest.results[1].imageId}`);
    expect(
      Buffer.compare(Buffer.from(downloaded), Buffer.from(await api.download(second.json.image.id))),
    ).toBe(0);
    // The file the browser exported: a greyscale PNG of the photo's size
    const sent = await maskPixels(maskUploads[maskUploads.length - 1]!);
    expect(sent).toMatchObject({ width: FRUITS.width, height: FRUITS.height, channels: 1, format: "png" });
    // …and the mask as the server keeps it (re-encoded at intake) has the same pixels
    const mask = await maskPixels(await api.download(newest.edit.maskImageId));
    expect(mask).toMatchObject({ width: FRUITS.width, height: FRUITS.height, format: "png" });
    expect(Buffer.compare(mask.data, sent.data)).toBe(0);
    expect(new Set(mask.data)).toEqual(new Set([0, 255]));
    // The white pixels are where the mouse went (brush ≈ 19 px around the strokes).
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    let painted = 0;
    for (let y = 0; y < mask.height; y++)
      for (let x = 0; x < mask.width; x++)
        if (mask.data[y * mask.width + x] === 255) {
          painted++;
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
    expect(minX).toBeGreaterThanOrEqual(190 - 14);
    expect(minX).toBeLessThanOrEqual(190 - 6);
    expect(maxX).toBeGreaterThanOrEqual(320 + 6);
    expect(maxX).toBeLessThanOrEqual(320 + 14);
    expect(minY).toBeGreaterThanOrEqual(200 - 14);
    expect(maxY).toBeLessThanOrEqual(245 + 14);
    expect(mask.data[205 * mask.width + 250]).toBe(255);
    expect(mask.data[222 * mask.width + 250]).toBe(0); // between the strokes

    const source = await rgba(await api.download(newest.edit.sourceImageId));
    const edited = await rgba(downloaded);
    expect([edited.width, edited.height]).toEqual([FRUITS.width, FRUITS.height]);
    const { changedInside, changedOutside } = changedPixels(source, edited, mask);
    expect(changedOutside).toBe(0);
    expect(changedInside).toBeGreaterThan(painted * 0.25);
  });

  it("compares before and after with the keyboard", async () => {
    const divider = page.getByRole("slider", { name: "Before and after divider" });
    await divider.focus();
    await page.keyboard.press("Home");
    expect(await divider.getAttribute("aria-valuenow")).toBe("0");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    expect(await divider.getAttribute("aria-valuenow")).toBe("4");
    await page.keyboard.press("End");
    expect(await divider.getAttribute("aria-valuenow")).toBe("100");
    await page.keyboard.press("PageDown");
    await page.keyboard.press("PageDown");
    expect(await divider.getAttribute("aria-valuenow")).toBe("50");
  });

  it("keeps editing a result: it becomes the source and the mask is cleared", async () => {
    // Act
    const newest = (await api.request("GET", "/edits?limit=1")).json.items[0];
    await page.getByRole("button", { name: "Keep editing this one" }).click();
    // Assess
    await page.getByTestId("mask-canvas").waitFor();
    await page.getByText("Paint over the area to change with the brush or rectangle.").waitFor();
    expect(await page.getByRole("button", { name: "Undo" }).isDisabled()).toBe(true);
    // The next edit is made on the result's image id
    await drag({ x: 60, y: 60 }, { x: 120, y: 60 });
    await page.getByRole("button", { name: /Generate/ }).click();
    await page.getByTestId("result-image").waitFor({ timeout: 60_000 });
    const next = (await api.request("GET", "/edits?limit=1")).json.items[0];
    expect(next.edit.sourceImageId).toBe(newest.results[1].imageId); // the one selected
    expect(next.edit.status).toBe("succeeded");
  });

  it("shows why the engine refused an edit, retries it, and recovers after a fix", async () => {
    // Prepare: a fresh photo whose mask covers everything (nothing left for local fill to fill from)
    await page.getByRole("tab", { name: "Mask" }).click();
    await openPhoto("fruits.jpg");
    await page.getByRole("button", { name: "Invert mask" }).click();
    // Act
    await page.getByRole("button", { name: /Generate/ }).click();
    // Assess: the engine's reason, as the API recorded it, with Retry
    const reason = page.getByTestId("edit-error");
    await reason.waitFor({ timeout: 60_000 });
    const failed = (await api.request("GET", "/edits?limit=1")).json.items[0].edit;
    expect(failed.status).toBe("failed");
    expect(failed.error.message).toMatch(/covers the whole image/);
    expect(await reason.textContent()).toBe(failed.error.message);
    await alert("The edit failed").waitFor();
    await shot("07-edit-failed");
    // Act: Retry runs the same edit again (with the same mask, so the engine refuses it again)
    await page.getByRole("button", { name: "Retry" }).click();
    const retried = await vi.waitFor(
      async () => {
        const newest = (await api.request("GET", "/edits?limit=1")).json.items[0].edit;
        if (newest.id === failed.id || newest.status !== "failed") throw new Error("not retried yet");
        return newest;
      },
      { timeout: 30_000, interval: 200 },
    );
    await reason.waitFor();
    await page.getByRole("button", { name: "Retry" }).waitFor();
    expect(retried.error.message).toBe(failed.error.message);
    // Act: fix the mask (undo the invert, paint a stroke) and run it
    await page.keyboard.press("Control+z");
    await page.getByText("Paint over the area to change with the brush or rectangle.").waitFor();
    await drag({ x: 100, y: 100 }, { x: 160, y: 120 });
    await page.getByRole("button", { name: /Generate/ }).click();
    // Assess
    await page.getByTestId("result-image").waitFor({ timeout: 60_000 });
    const fixed = (await api.request("GET", "/edits?limit=1")).json.items[0];
    expect(fixed.edit.status).toBe("succeeded");
  });

  it("lists the history, opens an edit, and deletes one after confirmation", async () => {
    // Act
    await page.getByRole("link", { name: "History" }).click();
    // Assess
    await page.getByRole("heading", { name: "History" }).waitFor();
    const cards = page.getByTestId("history-item");
    await cards.first().waitFor();
    const listed = (await api.request("GET", "/edits?limit=12")).json.items;
    expect(await cards.count()).toBe(listed.length);
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>(".history-thumb img")].every((i) => i.complete),
    );
    await shot("08-history");
    // Act: delete the failed edit
    const failedCard = cards.filter({ hasText: "Failed" }).first();
    const failedId = listed.find((v: { edit: { status: string } }) => v.edit.status === "failed").edit.id;
    await failedCard.getByRole("button", { name: /^Delete edit/ }).click();
    await page.getByRole("dialog", { name: "Delete this edit?" }).waitFor();
    await shot("09-history-delete");
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    // Assess
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await page.waitForFunction(
      (n) => document.querySelectorAll("[data-testid=history-item]").length === n,
      listed.length - 1,
    );
    expect((await api.request("GET", `/edits/${failedId}`)).status).toBe(404);
    // Act: open the newest
    await cards.first().getByRole("button", { name: "Open", exact: true }).click();
    // Assess
    await page.getByTestId("result-image").waitFor();
    expect(await page.getByRole("tab", { name: /Results/ }).getAttribute("aria-selected")).toBe("true");
  });

  it("fits a phone screen", async () => {
    // Prepare
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("tab", { name: "Mask" }).click();
    await page.getByTestId("mask-canvas").waitFor();
    await page.getByRole("button", { name: "Fit to screen" }).click();
    // Assess: nothing sticks out sideways, the tools are reachable
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await page.getByRole("button", { name: "Brush" }).isVisible()).toBe(true);
    await shot("10-editor-phone");
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it("opens a photo dropped on the canvas or pasted", async () => {
    // Prepare: the photos as the page would receive them
    const send = async (kind: "drop" | "paste", name: string) => {
      const bytes = [...(await readFile(join(PHOTOS, name)))];
      await page.evaluate(
        ({ kind, name, bytes }) => {
          const data = new DataTransfer();
          data.items.add(new File([new Uint8Array(bytes)], name, { type: "image/jpeg" }));
          if (kind === "paste") {
            window.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true }));
            return;
          }
          const stage = document.querySelector(".stage")!;
          stage.dispatchEvent(
            new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }),
          );
          stage.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
        },
        { kind, name, bytes },
      );
    };
    // Act / Assess: drop
    await send("drop", "baboon.jpg");
    await page.getByText("baboon.jpg").waitFor();
    await page.getByRole("status").filter({ hasText: "Uploading" }).waitFor({ state: "detached" });
    await page.getByText("512 × 512").waitFor();
    // Act / Assess: paste
    await send("paste", "fruits.jpg");
    await page.getByText("fruits.jpg").waitFor();
    await page.getByRole("status").filter({ hasText: "Uploading" }).waitFor({ state: "detached" });
    await page.getByText("512 × 480").waitFor();
  });

  it("follows a running edit's progress and cancels it", async () => {
    // Prepare: a long edit started elsewhere (another tab, the CLI)
    // Scaled up to near the engine's 4 MP limit so the run outlasts the steps below even on a busy machine.
    const large = await sharp(await readFile(join(PHOTOS, "aloeL.jpg")))
      .resize(2200, 1905)
      .jpeg({ quality: 90 })
      .toBuffer();
    const photo = await api.upload(large, "image/jpeg");
    const mask = await api.upload(
      await rectangleMask(2200, 1905, { left: 10, top: 10, width: 2180, height: 1885 }),
      "image/png",
      "mask",
    );
    const created = await api.request("POST", "/edits", {
      operation: "erase",
      imageId: photo,
      maskImageId: mask,
      engine: "local-fill",
    });
    expect(created.status).toBe(202);
    // Act: open it from the history
    await page.getByRole("link", { name: "History" }).click();
    const first = page.getByTestId("history-item").first();
    await first.filter({ hasText: /Running|Queued/ }).waitFor();
    await first.getByRole("button", { name: "Open", exact: true }).click();
    // Assess: status, percent and elapsed time while it runs
    await page.getByText(/Running · \d+%/).waitFor();
    const bar = page.getByRole("progressbar", { name: "Edit progress" });
    expect(Number(await bar.getAttribute("aria-valuenow"))).toBeGreaterThanOrEqual(0);
    await page.getByTestId("mask-canvas").waitFor();
    await shot("11-progress-running");
    // Act
    await page.getByRole("button", { name: "Cancel" }).click();
    // Assess
    await page.locator(".job-title", { hasText: /^Canceled$/ }).waitFor();
    expect((await api.request("GET", `/edits/${created.json.edit.id}`)).json.edit.status).toBe("canceled");
    expect(await page.getByRole("button", { name: "Retry" }).isVisible()).toBe(true);
  });

  it("outpaints a photo to 16:9 chosen from 'Extend to', centred, with the photo's pixels kept", async () => {
    // Prepare
    await openPhoto("fruits.jpg");
    await page.getByLabel("Engine").selectOption("local-fill-fast");
    await page.getByRole("radio", { name: "Outpaint" }).check();
    // Act
    await page.getByLabel("Extend to").selectOption("16:9");
    expect(await page.getByLabel("Left", { exact: true }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: /Generate/ }).click();
    // Assess: 512×480 grows to 853×480, and the photo sits 170 px from the left, unchanged
    await page.getByTestId("result-image").waitFor({ timeout: 60_000 });
    const newest = (await api.request("GET", "/edits?limit=1")).json.items[0];
    expect(newest.edit).toMatchObject({
      status: "succeeded",
      operation: "outpaint",
      margins: { top: 0, right: 171, bottom: 0, left: 170 },
    });
    const source = await rgba(await api.download(newest.edit.sourceImageId));
    const result = await rgba(await api.download(newest.results[0].imageId));
    expect([result.width, result.height]).toEqual([853, 480]);
    let changed = 0;
    for (let y = 0; y < source.height; y++)
      for (let x = 0; x < source.width; x++)
        for (let c = 0; c < 4; c++)
          if (source.data[(y * source.width + x) * 4 + c] !== result.data[(y * 853 + x + 170) * 4 + c])
            changed++;
    expect(changed).toBe(0);
    await resultImagesLoaded(page);
    await shot("12-outpaint-16-9");
  });

  it("signs out", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
