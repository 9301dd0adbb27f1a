import { readFile } from "node:fs/promises";
import { startBedrockEmulator, type BedrockEmulator } from "@retouch/bedrock-emulator";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ApiClient } from "./support/api-client";
import { PHOTOS } from "./support/images";
import { ADMIN_PASSWORD, ADMIN_TEMPORARY_PASSWORD, startTestServer } from "./support/local-server";

/** Inpaint and erase that name the area in words (`options.maskPrompt`) instead of a painted mask. */
describe("mask prompts over HTTP", () => {
  let emulator: BedrockEmulator;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let client: ApiClient;
  let photoId: string;

  beforeAll(async () => {
    // The Nova engine's SDK client finds credentials in the environment, as in a deployment.
    vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
    emulator = await startBedrockEmulator();
    server = await startTestServer({
      engines: "local-fill,bedrock-nova-canvas",
      bedrockEndpoint: emulator.url,
    });
    client = new ApiClient(server.url);
    await client.signIn("admin", ADMIN_TEMPORARY_PASSWORD, ADMIN_PASSWORD);
    const photo = await sharp(await readFile(`${PHOTOS}/fruits.jpg`))
      .resize(320, 256, { fit: "cover" })
      .png()
      .toBuffer();
    photoId = (await client.upload(photo, "image/png")).imageId;
  });
  afterAll(async () => {
    await server?.stop();
    await emulator?.close();
    vi.unstubAllEnvs();
  });

  it("publishes which engines take a mask prompt", async () => {
    // Act
    const got = await client.request("GET", "/engines");
    // Assess
    expect(got.status).toBe(200);
    const engines = JSON.stringify(got.json);
    expect(engines).toContain('"maskPrompt":true');
  });

  it("accepts an inpaint without a painted mask on Nova Canvas when options.maskPrompt names the area", async () => {
    // Act
    const created = await client.request("POST", "/edits", {
      operation: "inpaint",
      imageId: photoId,
      prompt: "a green apple",
      engine: "bedrock-nova-canvas",
      options: { maskPrompt: "the orange" },
    });
    // Assess
    expect(created.status, JSON.stringify(created.json)).toBe(202);
    expect(created.json.edit.maskImageId).toBeNull();
    const done = await client.waitForEdit(created.json.edit.id as string);
    expect(done.edit.status, JSON.stringify(done.edit.error)).toBe("succeeded");
    expect(done.edit.resultImageIds).toHaveLength(1);
    expect(done.results[0]).toMatchObject({ width: 320, height: 256 });
    expect(emulator.invocations).toBe(1);
  });

  it("refuses with 400 an erase without a mask on an engine that cannot take a mask prompt", async () => {
    // Act
    const created = await client.request("POST", "/edits", {
      operation: "erase",
      imageId: photoId,
      engine: "local-fill",
      options: { maskPrompt: "the orange" },
    });
    // Assess
    expect(created.status).toBe(400);
    expect(created.json.error.message).toMatch(/maskImageId/);
    expect(created.json.error.message).toMatch(/cannot take options\.maskPrompt/);
  });

  it("refuses with 400 a Nova inpaint with neither a mask nor a non-empty mask prompt", async () => {
    // Act
    const created = await client.request("POST", "/edits", {
      operation: "inpaint",
      imageId: photoId,
      prompt: "a green apple",
      engine: "bedrock-nova-canvas",
      options: { maskPrompt: "  " },
    });
    // Assess
    expect(created.status).toBe(400);
    expect(created.json.error.message).toMatch(/maskImageId.*options\.maskPrompt/);
  });
});
