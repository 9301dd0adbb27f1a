import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startBedrockEmulator, type BedrockEmulator } from "@retouch/bedrock-emulator";
import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Point } from "../../src/editor/geometry";
import { changedPixels, drag as dragOnPhoto, openPhoto } from "./editor-steps";
import {
  ADMIN_PASSWORD,
  ADMIN_TEMPORARY_PASSWORD,
  Api,
  PHOTOS,
  SCREENSHOTS,
  buildWeb,
  launchBrowser,
  maskPixels,
  rgba,
} from "./support";

const CLI = fileURLToPath(new URL("../../../cli/bin/retouch.js", import.meta.url));

/**
 * `retouch serve --engine bedrock-stability` as a real child process, its Bedrock client pointed
 * at `endpoint`; resolves once the server prints its URL. The SDK signs requests, so it gets
 * dummy credentials (and no profile that could send it elsewhere).
 */
async function serveWithBedrock(
  dataDir: string,
  endpoint: string,
): Promise<{ url: string; child: ChildProcess }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RETOUCH_LOG_LEVEL: "warn",
    RETOUCH_ADMIN_PASSWORD: ADMIN_TEMPORARY_PASSWORD,
    RETOUCH_BEDROCK_ENDPOINT: endpoint,
    RETOUCH_BEDROCK_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "emulator",
    AWS_SECRET_ACCESS_KEY: "emulator",
  };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  const child = spawn(
    process.execPath,
    [CLI, "serve", "--engine", "bedrock-stability", "--port", "0", "--data-dir", dataDir],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`retouch serve did not start:\n${output}`)), 90_000);
    child.stderr!.on("data", (chunk) => {
      output += chunk;
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`retouch serve exited with ${code}:\n${output}`)));
  });
  return { url, child };
}

/**
 * The web editor against `retouch serve --engine bedrock-stability` (the real CLI, server, queue
 * and Bedrock engine) whose Bedrock Runtime is the local emulator over real HTTP, driven through
 * Debian's Chromium. Tests run in order and share one session.
 */
describe("web editor with the Bedrock Stability engine", { timeout: 120_000 }, () => {
  let emulator: BedrockEmulator;
  let server: { url: string; child: ChildProcess };
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let api: Api;
  const pageErrors: string[] = [];
  const FRUITS = { width: 512, height: 480 };

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `bedrock-${name}.png`) });
  const drag = (from: Point, to: Point) => dragOnPhoto(page, FRUITS, from, to);
  const generate = () => page.getByRole("button", { name: /Generate/ });
  const newest = async () => (await api.request("GET", "/edits?limit=1")).json.items[0];

  /** Clicks Generate and waits for the edit it creates to finish; answers that edit's view. */
  async function runEdit(timeout = 60_000) {
    const before = (await newest())?.edit.id;
    await generate().click();
    const done = await vi.waitFor(
      async () => {
        const view = await newest();
        if (!view || view.edit.id === before || ["queued", "running"].includes(view.edit.status))
          throw new Error("the edit has not finished yet");
        return view;
      },
      { timeout, interval: 250 },
    );
    if (done.edit.status === "succeeded") {
      await page.getByText(`Done · ${done.results.length} result`).waitFor();
      await page.getByTestId("result-image").waitFor();
      await page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLImageElement>(".results img")].every(
          (i) => i.complete && i.naturalWidth > 0,
        ),
      );
    }
    return done;
  }

  /** Downloads the selected result through the browser, as a person would. */
  async function downloadResult(): Promise<{ name: string; bytes: Uint8Array }> {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download PNG" }).click(),
    ]);
    return {
      name: download.suggestedFilename(),
      bytes: new Uint8Array(await readFile((await download.path())!)),
    };
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "retouch-bedrock-e2e-"));
    emulator = await startBedrockEmulator();
    const [, started, launched] = await Promise.all([
      buildWeb(),
      serveWithBedrock(dataDir, emulator.url),
      launchBrowser(),
    ]);
    server = started;
    browser = launched;
    api = new Api(server.url);
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    if (server && server.child.exitCode === null) {
      const exited = new Promise((resolve) => server.child.once("exit", resolve));
      server.child.kill("SIGTERM");
      await exited;
    }
    await emulator?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("signs in with the temporary password and a new one", async () => {
    // Prepare
    await page.goto(server.url);
    await page.getByLabel("Username or email").fill("admin");
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_TEMPORARY_PASSWORD);
    // Act
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await page.getByLabel("New password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByLabel("Confirm new password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Set password and continue" }).click();
    // Assess
    await page.getByRole("heading", { name: "Open a photo to start" }).waitFor();
    await api.signIn("admin", ADMIN_PASSWORD);
  });

  it("lists the configured engines in the picker with what each one does", async () => {
    // Prepare: what the server says it runs
    const { defaultEngine, engines } = (await api.request("GET", "/engines")).json;
    const picker = page.getByLabel("Engine");
    const capabilities = page.getByRole("list", { name: "Capabilities" }).getByRole("listitem");
    // Assess: every configured engine is offered, the --engine one first chosen
    expect(defaultEngine).toBe("bedrock-stability");
    expect(engines.map((e: { id: string }) => e.id)).toEqual(
      expect.arrayContaining(["bedrock-stability", "local-fill", "local-bg"]),
    );
    await vi.waitFor(async () => expect(await picker.inputValue()).toBe("bedrock-stability"));
    const offered = await picker
      .locator("option")
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(engines.map((e: { id: string }) => e.id));
    expect(await capabilities.allTextContents()).toEqual([
      "Inpaint, Erase, Outpaint, Replace, Remove background",
      "Uses the prompt",
      "Up to 4 results",
    ]);
    const operations = page.getByRole("radiogroup", { name: "Operation" }).getByRole("radio");
    expect(await operations.count()).toBe(5);
    expect(await page.getByLabel("Prompt", { exact: true }).isDisabled()).toBe(false);
    // Act: another engine shows its own
    await picker.selectOption("local-fill");
    // Assess
    expect(await capabilities.nth(1).textContent()).toBe("Does not use the prompt");
    expect(await page.getByLabel("Prompt", { exact: true }).isDisabled()).toBe(true);
    await picker.selectOption("bedrock-stability");
    await shot("01-engine-picker");
  });

  it("inpaints a painted area following the prompt, changing nothing outside the mask", async () => {
    // Prepare
    await openPhoto(page, "fruits.jpg");
    await page.getByRole("radio", { name: "Inpaint" }).check();
    await drag({ x: 190, y: 200 }, { x: 320, y: 205 });
    await drag({ x: 200, y: 240 }, { x: 300, y: 245 });
    // Assess: Bedrock's inpaint needs a prompt, and the form says so before the API would
    expect(await generate().isDisabled()).toBe(true);
    await page.getByText("Describe what should be there.").waitFor();
    // Act
    await page.getByLabel("Prompt", { exact: true }).fill("a pile of green pears");
    const invocations = emulator.invocations;
    const done = await runEdit();
    // Assess: one Bedrock call made the one result, which is what the browser downloads
    expect(done.edit).toMatchObject({
      status: "succeeded",
      operation: "inpaint",
      engine: "bedrock-stability",
      prompt: "a pile of green pears",
    });
    expect(emulator.invocations - invocations).toBe(1);
    await page.getByText("Inpaint · result 1 of 1").waitFor();
    await shot("02-inpaint-result");
    const downloaded = await downloadResult();
    expect(downloaded.name).toBe(`retouch-${done.edit.id}.png`);
    expect(
      Buffer.compare(Buffer.from(downloaded.bytes), Buffer.from(await api.download(done.results[0].imageId))),
    ).toBe(0);
    const mask = await maskPixels(await api.download(done.edit.maskImageId));
    const source = await rgba(await api.download(done.edit.sourceImageId));
    const edited = await rgba(downloaded.bytes);
    expect([edited.width, edited.height]).toEqual([FRUITS.width, FRUITS.height]);
    const painted = mask.data.filter((v) => v === 255).length;
    const { changedInside, changedOutside } = changedPixels(source, edited, mask);
    expect(changedOutside).toBe(0);
    expect(changedInside).toBeGreaterThan(painted * 0.25);
  });

  it("replaces what it is told to find, without a mask", async () => {
    // Prepare
    const source = (await newest()).edit.sourceImageId;
    // Act
    await page.getByRole("radio", { name: "Replace" }).check();
    // Assess: it asks what to find, not for painting
    await page.getByText("No mask needed: the engine finds what you name.").waitFor();
    const find = page.getByLabel("What to replace");
    await page.getByText("Say what to replace.").waitFor();
    expect(await generate().isDisabled()).toBe(true);
    expect(await page.getByText("Paint over the area to change").count()).toBe(0);
    // Act
    await find.fill("the bananas");
    await page.getByLabel("Prompt", { exact: true }).fill("a bunch of grapes");
    await shot("03-replace-form");
    const done = await runEdit();
    // Assess: a search-replace of the photo, no mask sent
    expect(done.edit).toMatchObject({
      status: "succeeded",
      operation: "replace",
      engine: "bedrock-stability",
      prompt: "a bunch of grapes",
      options: { searchPrompt: "the bananas" },
      maskImageId: null,
      sourceImageId: source,
    });
    await page.getByText("Replace · result 1 of 1").waitFor();
    const edited = await rgba((await downloadResult()).bytes);
    const original = await rgba(await api.download(source));
    expect([edited.width, edited.height]).toEqual([FRUITS.width, FRUITS.height]);
    expect(Buffer.compare(edited.data, original.data)).not.toBe(0);
  });

  it("removes the background into a transparent PNG shown on a checkerboard", async () => {
    // Act
    await page.getByRole("radio", { name: "Remove background" }).check();
    // Assess: no prompt, no mask
    await page.getByText("Remove background does not use the prompt.").waitFor();
    expect(await page.getByLabel("Prompt", { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByLabel("What to replace").count()).toBe(0);
    // Act
    const done = await runEdit();
    // Assess
    expect(done.edit).toMatchObject({ status: "succeeded", operation: "remove-background", prompt: null });
    const result = await rgba((await downloadResult()).bytes);
    const alphas = new Set<number>();
    for (let i = 3; i < result.data.length; i += 4) alphas.add(result.data[i]!);
    expect(alphas.has(0)).toBe(true); // background gone
    expect(alphas.has(255)).toBe(true); // subject kept
    const behind = await page.locator(".compare").evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(behind).toContain("conic-gradient");
    await shot("04-remove-background");
  });

  it("says when the content filter blocked an edit and keeps the photo and the record", async () => {
    // Prepare: Bedrock refuses the next request as its content filters do
    emulator.faults.refuseInput(1);
    await page.getByRole("radio", { name: "Inpaint" }).check();
    // Act
    const failed = await runEdit();
    // Assess: the reason in the editor, as the API recorded it
    expect(failed.edit.status).toBe("failed");
    expect(failed.edit.error.message).toContain("blocked by the model's content filter");
    const reason = page.getByTestId("edit-error");
    await reason.waitFor();
    expect(await reason.textContent()).toBe(failed.edit.error.message);
    await page.getByRole("alert").filter({ hasText: "The edit failed" }).waitFor();
    // …the photo is still open to try again, and the source and the record are kept
    await page.getByTestId("mask-canvas").waitFor();
    await page.locator(".stage-name", { hasText: "fruits.jpg" }).waitFor();
    expect(await generate().isDisabled()).toBe(false);
    expect((await api.request("GET", `/images/${failed.edit.sourceImageId}`)).status).toBe(200);
    const kept = await api.request("GET", `/edits/${failed.edit.id}`);
    expect(kept.json.edit).toMatchObject({ status: "failed", error: failed.edit.error });
    await shot("05-content-filter");
  });

  it("retries throttled Bedrock calls without bothering the user", async () => {
    // Prepare: the next two calls are throttled
    emulator.faults.throttleNext(2);
    const invocations = emulator.invocations;
    // Act
    const done = await runEdit();
    // Assess: three calls for one result, and only success shown
    expect(done.edit.status).toBe("succeeded");
    expect(emulator.invocations - invocations).toBe(3);
    expect(await page.getByTestId("edit-error").count()).toBe(0);
  });

  it("runs a replace again from the history with what it searched for", async () => {
    // Prepare
    const { items } = (await api.request("GET", "/edits?limit=20")).json;
    const replaced = items.find((v: { edit: { operation: string } }) => v.edit.operation === "replace").edit;
    await page.getByRole("link", { name: "History" }).click();
    const card = page.getByTestId("history-item").filter({ hasText: "Replace" });
    // Act
    await card.getByRole("button", { name: "Re-run" }).click();
    // Assess: the same edit again, search prompt included
    const again = await vi.waitFor(
      async () => {
        const view = await newest();
        if (
          view.edit.operation !== "replace" ||
          view.edit.id === replaced.id ||
          view.edit.status !== "succeeded"
        )
          throw new Error("not run again yet");
        return view.edit;
      },
      { timeout: 60_000, interval: 250 },
    );
    expect(again).toMatchObject({
      prompt: replaced.prompt,
      seed: replaced.seed,
      options: { searchPrompt: "the bananas" },
      sourceImageId: replaced.sourceImageId,
    });
    await page.getByTestId("result-image").waitFor();
  });

  // local-bg runs its model on the CPU (tens of CPU-seconds per photo, whatever its size, as the
  // matte is predicted at 1024 × 1024); a small photo keeps the upload and the compositing short.
  it("removes the background on this computer with local-bg", { timeout: 300_000 }, async () => {
    // Prepare: a photo with one subject, scaled to 400 px wide
    const small = await sharp(await readFile(join(PHOTOS, "squirrel_cls.jpg")))
      .resize({ width: 400 })
      .jpeg({ quality: 90 })
      .toBuffer();
    await page
      .getByTestId("file-input")
      .setInputFiles({ name: "squirrel-400.jpg", mimeType: "image/jpeg", buffer: small });
    await page.getByTestId("mask-canvas").waitFor();
    await page.getByRole("status").filter({ hasText: "Uploading" }).waitFor({ state: "detached" });
    // Act
    await page.getByLabel("Engine").selectOption("local-bg");
    // Assess: the picker says what it does, and it needs nothing more
    const capabilities = page.getByRole("list", { name: "Capabilities" }).getByRole("listitem");
    expect(await capabilities.allTextContents()).toEqual([
      "Remove background",
      "Does not use the prompt",
      "1 result per edit",
    ]);
    await page.getByText("Background removal does not use the prompt.").waitFor();
    // Act
    const done = await runEdit(240_000);
    // Assess
    expect(done.edit).toMatchObject({
      status: "succeeded",
      operation: "remove-background",
      engine: "local-bg",
    });
    const result = await rgba((await downloadResult()).bytes);
    expect([result.width, result.height]).toEqual([400, 319]);
    let clear = 0;
    let opaque = 0;
    for (let i = 3; i < result.data.length; i += 4) {
      if (result.data[i] === 0) clear++;
      else if (result.data[i]! >= 200) opaque++; // a soft matte: the subject tops out near 254
    }
    const pixels = result.width * result.height;
    expect(clear).toBeGreaterThan(pixels * 0.1); // background gone
    expect(opaque).toBeGreaterThan(pixels * 0.05); // the squirrel kept
    await shot("06-local-bg");
    expect(pageErrors).toEqual([]);
  });
});
