import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudShapedRun, type CloudShapedRun } from "../local/cloud-shaped-run";
import { changedPixels, drag, openPhoto, resultImagesLoaded } from "../../apps/web/test/e2e/editor-steps";
import { Api, SCREENSHOTS, launchBrowser, maskPixels, rgba } from "../../apps/web/test/e2e/support";

/**
 * The web editor against the AWS deployment's code on local stand-ins (infra/local): the editor
 * signs in with Cognito (cognito-local), calls the API function through the API Gateway harness
 * and its Cognito authorizer, sends image bytes to S3 (s3rver) with presigned URLs, and the
 * worker function runs the edit from its SQS message with Bedrock (the emulator). Tests run in
 * order and share one session.
 */
const CHOSEN = "Chosen-Pass-456?";
const FRUITS = { width: 512, height: 480 };

describe("web editor on the cloud-shaped run", { timeout: 120_000 }, () => {
  let run: CloudShapedRun;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let api: Api;
  const pageErrors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `cloud-${name}.png`) });

  /** An access token of `username` from Cognito, as the editor gets it (USER_PASSWORD_AUTH). */
  async function accessToken(username: string, password: string): Promise<string> {
    const signedIn = await run.identity.signIn(username, password);
    if (signedIn.kind !== "tokens") throw new Error(`${username} still has a challenge to answer`);
    return signedIn.tokens.accessToken;
  }

  beforeAll(async () => {
    [run, browser] = await Promise.all([startCloudShapedRun(), launchBrowser()]);
    api = new Api(run.invokeUrl, "");
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
  }, 240_000); // cognito-local's port is fixed: this may wait for another test file to release it

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await run?.stop();
  });

  it("signs in over SRP with the Cognito user's temporary password and chooses a new one", async () => {
    // Prepare
    await page.goto(run.webUrl);
    await page.getByLabel("Username or email").fill(run.user.username);
    await page.getByLabel("Password", { exact: true }).fill(run.user.temporaryPassword);
    // Act
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await page.getByLabel("New password", { exact: true }).fill(CHOSEN);
    await page.getByLabel("Confirm new password").fill(CHOSEN);
    await page.getByRole("button", { name: "Set password and continue" }).click();
    // Assess: the editor, with the engine the API function lists
    await page.getByRole("heading", { name: "Open a photo to start" }).waitFor();
    expect(run.srpFront.proofsVerified()).toBe(1);
    await page.getByTitle(`Signed in as ${run.user.username}`).waitFor();
    // The engine list arrives after the heading: wait for the API function's answer to fill the picker
    await expect
      .poll(() => page.getByLabel("Engine", { exact: true }).inputValue())
      .toBe("bedrock-stability");
    api.token = await accessToken(run.user.username, CHOSEN);
  });

  it("erases a painted area with bedrock-stability and downloads a PNG changed only inside the mask", async () => {
    // Prepare: a real photo, uploaded to S3 through a presigned PUT
    await openPhoto(page, "fruits.jpg");
    await drag(page, FRUITS, { x: 190, y: 200 }, { x: 320, y: 205 });
    await drag(page, FRUITS, { x: 200, y: 240 }, { x: 300, y: 245 });
    await page.getByLabel("Engine", { exact: true }).selectOption("bedrock-stability");
    await page.getByRole("radio", { name: "Erase" }).check();
    await page.mouse.move(10, 450); // brush outline off the photo for the screenshot
    await shot("01-mask");
    // Act: the API function queues it; the event source hands the message to the worker
    await page.getByRole("button", { name: /Generate/ }).click();
    await page.getByTestId("result-image").waitFor({ timeout: 60_000 });
    await resultImagesLoaded(page);
    await shot("02-result");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download PNG" }).click(),
    ]);
    const downloaded = new Uint8Array(await readFile((await download.path())!));

    // Assess: the edit as the API records it, and the file the browser saved
    const newest = (await api.request("GET", "/edits?limit=1")).json.items[0];
    expect(newest.edit).toMatchObject({
      status: "succeeded",
      operation: "erase",
      engine: "bedrock-stability",
    });
    expect(download.suggestedFilename()).toBe(`retouch-${newest.edit.id}.png`);
    expect(
      Buffer.compare(Buffer.from(downloaded), Buffer.from(await api.download(newest.results[0].imageId))),
    ).toBe(0);
    const mask = await maskPixels(await api.download(newest.edit.maskImageId));
    const painted = mask.data.filter((value) => value === 255).length;
    const source = await rgba(await api.download(newest.edit.sourceImageId));
    const edited = await rgba(downloaded);
    expect([edited.width, edited.height]).toEqual([FRUITS.width, FRUITS.height]);
    const { changedInside, changedOutside } = changedPixels(source, edited, mask);
    expect(changedOutside).toBe(0);
    expect(changedInside).toBeGreaterThan(painted * 0.25);
    expect(pageErrors).toEqual([]);
  });

  it("lists the edit in the history", async () => {
    // Act
    await page.getByRole("link", { name: "History" }).click();
    // Assess
    await page.getByRole("heading", { name: "History" }).waitFor();
    const cards = page.getByTestId("history-item");
    await cards.first().waitFor();
    const listed = (await api.request("GET", "/edits?limit=12")).json.items;
    expect(listed).toHaveLength(1);
    expect(await cards.count()).toBe(1);
    expect(await cards.first().textContent()).toMatch(/Erase/);
    await shot("03-history");
  });

  it("answers 401 from the authorizer to a request without a valid access token", async () => {
    // Prepare: an ID token is signed by the pool too, but lacks the access token's scope
    const signedIn = await run.identity.signIn(run.user.username, CHOSEN);
    if (signedIn.kind !== "tokens") throw new Error("expected tokens");
    // Act
    const attempts = await Promise.all(
      [undefined, "Bearer not-a-jwt", `Bearer ${signedIn.tokens.idToken}`].map((authorization) =>
        fetch(`${run.invokeUrl}/edits`, { headers: authorization ? { Authorization: authorization } : {} }),
      ),
    );
    // Assess
    for (const response of attempts) {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: "Unauthorized" });
      expect(response.headers.get("access-control-allow-origin")).toBe(run.webUrl);
    }
  });

  it("answers 404 to another user asking for this user's edit", async () => {
    // Prepare: a second admin-created user, past the new-password challenge
    const { temporaryPassword } = await run.identity.createUser({ username: "bruno" });
    const first = await run.identity.signIn("bruno", temporaryPassword);
    if (first.kind !== "challenge") throw new Error("expected NEW_PASSWORD_REQUIRED");
    const bruno = new Api(run.invokeUrl, "");
    bruno.token = (await run.identity.completeNewPassword("bruno", first.session, CHOSEN)).accessToken;
    const anasEdit = (await api.request("GET", "/edits?limit=1")).json.items[0].edit.id as string;
    // Act
    const theirs = await bruno.request("GET", `/edits/${anasEdit}`);
    const own = await api.request("GET", `/edits/${anasEdit}`);
    // Assess
    expect(theirs.status).toBe(404);
    expect(own.status).toBe(200);
    expect((await bruno.request("GET", "/edits")).json.items).toEqual([]);
  });
  it("shows Bedrock's content-filter refusal as the edit's error, and Retry runs it again", async () => {
    // Prepare: back to the mask of the last edit, with one more stroke; the emulator filters the next answer
    await page.getByTestId("history-item").first().getByRole("button", { name: "Open", exact: true }).click();
    await page.getByTestId("result-image").waitFor();
    await page.getByRole("button", { name: "Back to mask" }).click();
    await page.getByTestId("mask-canvas").waitFor();
    await drag(page, FRUITS, { x: 60, y: 60 }, { x: 120, y: 60 });
    await page.getByRole("radio", { name: "Erase" }).check();
    run.emulator.faults.refuseOutput(1);
    // Act
    await page.getByRole("button", { name: /Generate/ }).click();
    // Assess: the worker recorded Bedrock's reason, and the editor shows it
    const reason = page.getByTestId("edit-error");
    await reason.waitFor({ timeout: 60_000 });
    const failed = (await api.request("GET", "/edits?limit=1")).json.items[0].edit;
    expect(failed).toMatchObject({ status: "failed", engine: "bedrock-stability" });
    expect(await reason.textContent()).toBe(failed.error.message);
    await shot("04-refused");
    // Act
    await page.getByRole("button", { name: "Retry" }).click();
    // Assess
    await page.getByTestId("result-image").waitFor({ timeout: 60_000 });
    const retried = (await api.request("GET", "/edits?limit=1")).json.items[0].edit;
    expect(retried.id).not.toBe(failed.id);
    expect(retried.status).toBe("succeeded");
  });

  it("cancels an edit while the worker waits for Bedrock, and the worker leaves it canceled", async () => {
    // Prepare: Bedrock answers after 4 s
    await page.getByRole("button", { name: "Back to mask" }).click();
    await page.getByTestId("mask-canvas").waitFor();
    await drag(page, FRUITS, { x: 300, y: 60 }, { x: 360, y: 60 });
    await page.getByRole("radio", { name: "Erase" }).check();
    run.emulator.faults.slow(4_000);
    try {
      // Act
      await page.getByRole("button", { name: /Generate/ }).click();
      await page
        .getByText(/Running/)
        .first()
        .waitFor({ timeout: 30_000 });
      await page.getByRole("button", { name: "Cancel" }).click();
      // Assess: canceled at once, and still canceled once the worker's Bedrock call has returned
      await page.locator(".job-title", { hasText: /^Canceled$/ }).waitFor();
      const canceled = (await api.request("GET", "/edits?limit=1")).json.items[0].edit;
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const after = (await api.request("GET", `/edits/${canceled.id}`)).json.edit;
      expect(after.status).toBe("canceled");
    } finally {
      run.emulator.faults.slow(0);
    }
  });
});
