import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import sharp from "sharp";
import { build } from "vite";

export const WEB_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL("../../../../test-output/screenshots/", import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export {
  ADMIN_PASSWORD,
  ADMIN_TEMPORARY_PASSWORD,
  PHOTOS,
  rectangleMask,
  startTestServer as startServer,
} from "@retouch/server/testing";

/** Builds the web editor into apps/web/dist, where the server serves it from. */
export async function buildWeb(): Promise<void> {
  await build({ root: WEB_ROOT, configFile: join(WEB_ROOT, "vite.config.ts"), logLevel: "error" });
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not at ${CHROMIUM}: install Debian's chromium (apt-get install chromium)`);
  await rm(SCREENSHOTS, { recursive: true, force: true });
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

/**
 * A small API client for checks behind the browser's back (real HTTP, real server). The API is at
 * `${baseUrl}${apiPath}`: `/api` on the local server, `""` for an invoke URL such as API Gateway's.
 */
export class Api {
  token: string | null = null;
  constructor(
    readonly baseUrl: string,
    readonly apiPath = "/api",
  ) {}

  async signIn(username: string, password: string): Promise<void> {
    const response = await this.request("POST", "/auth/login", { username, password });
    if (response.status !== 200 || !response.json.tokens)
      throw new Error(`sign-in failed: ${JSON.stringify(response.json)}`);
    this.token = response.json.tokens.accessToken;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test responses are checked field by field
  async request(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const response = await fetch(`${this.baseUrl}${this.apiPath}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  }

  async upload(
    bytes: Uint8Array,
    contentType: string,
    purpose: "source" | "mask" = "source",
  ): Promise<string> {
    const reserved = await this.request("POST", "/images", { purpose, contentType });
    const { upload, image } = reserved.json;
    const body = bytes as Uint8Array<ArrayBuffer>;
    const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body });
    if (!put.ok) throw new Error(`upload failed: ${put.status}`);
    const completed = await this.request("POST", `/images/${image.id}/complete`);
    if (completed.status !== 200) throw new Error(`complete failed: ${JSON.stringify(completed.json)}`);
    return image.id as string;
  }

  /** Bytes of a stored image, through its signed download URL. */
  async download(imageId: string): Promise<Uint8Array> {
    const got = await this.request("GET", `/images/${imageId}`);
    if (got.status !== 200) throw new Error(`GET /images/${imageId}: ${got.status}`);
    const response = await fetch(got.json.download.url);
    return new Uint8Array(await response.arrayBuffer());
  }
}

export async function rgba(bytes: Uint8Array) {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Greyscale values of a mask PNG, with its size and channel count as stored. */
export async function maskPixels(bytes: Uint8Array) {
  const metadata = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes).toColourspace("b-w").raw().toBuffer({ resolveWithObject: true });
  return {
    data,
    width: info.width,
    height: info.height,
    channels: metadata.channels,
    format: metadata.format,
  };
}
