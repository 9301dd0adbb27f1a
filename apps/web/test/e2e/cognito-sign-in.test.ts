// startCognitoLocal lives with the adapters tests, whose module declarations for dynalite and s3rver it needs.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../../packages/adapters/test/local-servers.d.ts" />
import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { AdminCreateUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createCognitoIdentity } from "@retouch/adapters";
import { chromium, type Browser, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCognitoLocal } from "../../../../packages/adapters/test/local-aws";
import { CHROMIUM, WEB_ROOT } from "./support";

/**
 * The built web editor, with a Cognito `config.js`, signing in through its UI against
 * cognito-local (localhost:9229, which allows any origin). cognito-local has no SRP, so
 * `config.js` sets `authFlow: "USER_PASSWORD_AUTH"` and `cognitoEndpoint`. There is no Retouch
 * API behind `/api` here (the local server signs its own tokens, not Cognito's): the static
 * server records the `Authorization` header the editor sends and answers 503, and the test
 * checks that header with the API's Cognito identity.
 */
const TEMPORARY = "Temp-Pass-123!";
const CHOSEN = "Chosen-Pass-456?";
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".map": "application/json",
};

describe("Cognito sign-in in a browser", { timeout: 90_000 }, () => {
  let cognito: Awaited<ReturnType<typeof startCognitoLocal>>;
  let pool: { userPoolId: string; clientId: string; issuer: string };
  let dist: string;
  let site: Server;
  let url: string;
  let browser: Browser;
  let page: Page;
  const authorizations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), "retouch-web-cognito-"));
    const [started] = await Promise.all([
      startCognitoLocal(),
      build({
        root: WEB_ROOT,
        configFile: join(WEB_ROOT, "vite.config.ts"),
        logLevel: "error",
        build: { outDir: dist, emptyOutDir: true, sourcemap: false },
      }),
    ]);
    cognito = started;
    pool = await cognito.createPool();
    await cognito.client.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: "ana",
        TemporaryPassword: TEMPORARY,
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "email", Value: "ana@example.com" }],
      }),
    );
    const config = {
      userPoolId: pool.userPoolId,
      userPoolClientId: pool.clientId,
      region: "us-east-1",
      invokeUrl: "/api",
      authFlow: "USER_PASSWORD_AUTH",
      cognitoEndpoint: "http://localhost:9229",
    };
    site = createServer((request, response) => {
      const path = new URL(request.url ?? "/", "http://x").pathname;
      if (path === "/config.js") {
        response.writeHead(200, { "Content-Type": "text/javascript" });
        response.end(`window.config = ${JSON.stringify(config)};\n`);
        return;
      }
      if (path.startsWith("/api/")) {
        authorizations.push(request.headers.authorization ?? "");
        response.writeHead(503, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ error: { code: "unavailable", message: "No API in this test." } }));
        return;
      }
      const file = join(dist, normalize(path === "/" ? "/index.html" : path));
      readFile(file.startsWith(dist) ? file : join(dist, "index.html"))
        .then((body) => {
          response.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
          response.end(body);
        })
        .catch(() => {
          response.writeHead(404);
          response.end();
        });
    });
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
    page = await browser.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
  }, 180_000); // cognito-local's port is fixed: this may wait for another test file to release it

  afterAll(async () => {
    await browser?.close();
    if (site) await new Promise((resolve) => site.close(resolve));
    await cognito?.stop();
    if (dist) await rm(dist, { recursive: true, force: true });
  });

  it("changes the temporary password, opens the editor and sends the Cognito access token to the API", async () => {
    // Prepare
    await page.goto(url);
    await page.getByLabel("Username or email").fill("ana");
    await page.getByLabel("Password", { exact: true }).fill(TEMPORARY);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();

    // Act
    await page.getByLabel("New password", { exact: true }).fill(CHOSEN);
    await page.getByLabel("Confirm new password").fill(CHOSEN);
    await page.getByRole("button", { name: "Set password and continue" }).click();

    // Assess
    await page.getByTitle("Signed in as ana").waitFor();
    await expect.poll(() => authorizations.length).toBeGreaterThan(0);
    const [scheme, token] = authorizations[0]!.split(" ");
    expect(scheme).toBe("Bearer");
    const identity = createCognitoIdentity({ client: cognito.client, ...pool });
    expect(await identity.verifyAccessToken(token!)).toMatchObject({ username: "ana" });
    expect(pageErrors).toEqual([]);
  });

  it("stays signed in across a reload and signs out", async () => {
    // Act
    await page.reload();
    await page.getByTitle("Signed in as ana").waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();

    // Assess
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
  });

  it("refuses a wrong password once the account is confirmed", async () => {
    // Act
    await page.getByLabel("Username or email").fill("ana");
    await page.getByLabel("Password", { exact: true }).fill("Not-The-Passw0rd!");
    await page.getByRole("button", { name: "Sign in" }).click();

    // Assess
    await page.getByRole("alert").filter({ hasText: "Incorrect username or password." }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
